export * from './coerce';
export * from './redact';
