export * from './filter';
export * from './event-router';
export * from './silence';
