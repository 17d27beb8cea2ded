export * from './grafana.descriptor';
export * from './grafana.format';
