export * from './coerce';
export * from './redact';
export * from './signature';
