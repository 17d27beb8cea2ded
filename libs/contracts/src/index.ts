export * from './lossless-json';
export * from './event';
export * from './api';
export * from './socket';
