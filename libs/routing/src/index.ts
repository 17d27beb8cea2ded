export * from './filter';
export * from './glob';
