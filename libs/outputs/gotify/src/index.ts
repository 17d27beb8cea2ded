export * from './gotify.descriptor';
export * from './gotify.format';
