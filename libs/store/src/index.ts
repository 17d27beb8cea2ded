export * from './event-store';
export * from './event-query';
export * from './create-store';
export * from './memory/memory-event-store';
