export * from './influxdb.config';
export * from './influxdb.descriptor';
export * from './influxdb.format';
export * from './influxdb.output';
