export * from './dynatrace.descriptor';
export * from './dynatrace.format';
