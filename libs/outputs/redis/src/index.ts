export * from './redis.format';
export * from './redis.output';
export * from './redis.descriptor';
