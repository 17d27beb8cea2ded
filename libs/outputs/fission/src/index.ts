export * from './fission.descriptor';
