export * from './googlechat.descriptor';
export * from './googlechat.format';
