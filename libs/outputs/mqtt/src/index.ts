export * from './mqtt.output';
export * from './mqtt.descriptor';
