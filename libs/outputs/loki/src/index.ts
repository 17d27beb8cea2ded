export * from './loki.config';
export * from './loki.descriptor';
export * from './loki.format';
export * from './loki.output';
