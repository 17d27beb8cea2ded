import { defineOutput, HTTP_SETTINGS, setting } from '@falconer/outputs-core';
import { influxdbConfig } from './influxdb.config';
import { InfluxdbOutput } from './influxdb.output';

export const INFLUXDB_SETTINGS = {
  hostport: setting.url('InfluxDB URL, `http(s)://host:port` (enables the output)', { required: true }),
  database: setting.string('Database (InfluxDB 1.x)', 'falco'),
  organization: setting.string('Organization (InfluxDB 2.x; with bucket selects the v2 API)'),
  bucket: setting.string('Bucket (InfluxDB 2.x)', 'falco'),
  precision: setting.string('Timestamp precision: ns, u, ms, s, m or h', 'ns'),
  user: setting.string('User (InfluxDB 1.x)'),
  password: setting.string('Password (InfluxDB 1.x)', '', { secret: true }),
  token: setting.string('API token (`Authorization: Token …`)', '', { secret: true }),
  batchsize: setting.int('Most lines per write', 1000, { min: 1, max: 100_000, extension: true }),
  flushinterval: setting.duration('Longest wait before a partial write is sent', 1000, { extension: true }),
  ...HTTP_SETTINGS,
};

export const influxdbOutput = defineOutput({
  type: 'influxdb',
  title: 'InfluxDB',
  section: 'influxdb',
  enabledBy: ['hostport'],
  settings: INFLUXDB_SETTINGS,
  falcosidekick: 'outputs/influxdb.go',
  summary:
    "Writes each event as a line-protocol point (falcosidekick's measurement, tags and fields), batched per write.",
  example: `influxdb:
  hostport: http://influxdb:8086
  database: falco`,
  create: (values, ctx) => new InfluxdbOutput(ctx.name, influxdbConfig(values, ctx)),
});
