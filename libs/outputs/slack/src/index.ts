export * from './slack.config';
export * from './slack.descriptor';
export * from './slack.format';
export * from './slack.output';
