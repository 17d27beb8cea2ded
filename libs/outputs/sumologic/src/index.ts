export * from './sumologic.descriptor';
