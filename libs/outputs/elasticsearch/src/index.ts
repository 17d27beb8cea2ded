export * from './elasticsearch.config';
export * from './elasticsearch.descriptor';
export * from './elasticsearch.format';
export * from './elasticsearch.output';
