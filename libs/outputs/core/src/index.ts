export * from './output';
export * from './classify';
export * from './event-time';
export * from './redact';
export * from './settings';
export * from './http';
export * from './factory';
export * from './common';
