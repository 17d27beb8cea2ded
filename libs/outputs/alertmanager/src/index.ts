export * from './alertmanager.config';
export * from './alertmanager.descriptor';
export * from './alertmanager.format';
export * from './alertmanager.output';
