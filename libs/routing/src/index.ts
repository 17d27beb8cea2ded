export * from './filter';
export * from './glob';
export * from './silence';
