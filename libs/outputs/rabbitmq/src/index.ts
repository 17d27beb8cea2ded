export * from './rabbitmq.output';
export * from './rabbitmq.descriptor';
