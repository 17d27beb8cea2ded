export * from './cliq.descriptor';
export * from './cliq.format';
