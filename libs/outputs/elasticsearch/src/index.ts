export * from './elasticsearch.config';
export * from './elasticsearch.format';
export * from './elasticsearch.output';
