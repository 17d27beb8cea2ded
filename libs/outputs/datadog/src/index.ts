export * from './datadog.descriptor';
export * from './datadog.format';
