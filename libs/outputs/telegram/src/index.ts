export * from './telegram.descriptor';
export * from './telegram.format';
