export * from './output-set';
