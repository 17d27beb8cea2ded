export * from './config.types';
export * from './load-config';
export * from './output-sections';
export * from './redact-config';
