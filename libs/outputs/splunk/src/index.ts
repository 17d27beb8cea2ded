export * from './splunk.descriptor';
export * from './splunk.format';
