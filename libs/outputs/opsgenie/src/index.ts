export * from './opsgenie.descriptor';
export * from './opsgenie.format';
export * from './opsgenie.output';
