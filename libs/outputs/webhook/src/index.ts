export * from './webhook.config';
export * from './webhook.descriptor';
export * from './webhook.format';
export * from './webhook.output';
