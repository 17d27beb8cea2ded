export * from './kafka.partition';
export * from './kafka.output';
export * from './kafka.descriptor';
