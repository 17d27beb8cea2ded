export * from './cloudevents.descriptor';
export * from './cloudevents.format';
