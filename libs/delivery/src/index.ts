export * from './dispatcher';
export * from './direct-dispatcher';
