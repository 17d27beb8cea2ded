export * from './event-store';
export * from './event-query';
export * from './create-store';
export * from './memory/memory-event-store';
export * from './redis/redis-event-store';
export { RedisKeys, indexEntries } from './redis/redis-keys';
export * from './bounded-store';
