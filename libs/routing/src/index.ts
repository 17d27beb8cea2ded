export * from './filter';
export * from './event-router';
