export * from './influxdb.config';
export * from './influxdb.format';
export * from './influxdb.output';
