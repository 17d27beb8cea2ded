export * from './event-store';
export * from './event-query';
