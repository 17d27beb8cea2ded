export * from './coerce';
export * from './redact';
export * from './signature';
export * from './glob';
export * from './browser';
export * from './deadline';
