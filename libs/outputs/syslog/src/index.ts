export * from './syslog.descriptor';
export * from './syslog.format';
export * from './syslog.output';
