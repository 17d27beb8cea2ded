export * from './timescaledb.descriptor';
export * from './timescaledb.format';
export * from './timescaledb.output';
