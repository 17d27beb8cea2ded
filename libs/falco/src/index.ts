export * from './priority';
export * from './time';
export * from './parse';
export * from './serialize';
export * from './template';
export * from './enrich';
export * from './transfer';
