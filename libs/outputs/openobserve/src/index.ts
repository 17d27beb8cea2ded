export * from './openobserve.descriptor';
