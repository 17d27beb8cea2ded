export * from './smtp.auth';
export * from './smtp.descriptor';
export * from './smtp.format';
export * from './smtp.output';
