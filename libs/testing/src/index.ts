export * from './services';
export * from './receiver';
export * from './fixtures';
export * from './server-process';
export * from './tcp-proxy';
export * from './kafka-mock';
export * from './random';
