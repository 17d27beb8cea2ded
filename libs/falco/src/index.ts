export * from './priority';
export * from './time';
export * from './parse';
export * from './serialize';
export * from './template';
export * from './enrich';
export { fromTransfer, toTransfer, type TransferredEvent, type TransferredRefusal } from './caches';
export * from './json/go-json';
export * from './json/lossless-event-json';
