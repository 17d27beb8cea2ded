export * from './kubeless.descriptor';
