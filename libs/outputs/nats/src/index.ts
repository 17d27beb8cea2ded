export * from './nats.format';
export * from './nats.output';
export * from './nats.descriptor';
