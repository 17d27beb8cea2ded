import { COMMON_SETTINGS, defineOutput, setting } from '@falconer/outputs-core';
import { TABLE_NAME } from './timescaledb.format';
import { TimescaleDbOutput } from './timescaledb.output';

export const TIMESCALEDB_SETTINGS = {
  host: setting.string('PostgreSQL / TimescaleDB host (enables the output)', '', { required: true }),
  port: setting.int('Port', 5432, { min: 1, max: 65535 }),
  user: setting.string('User', 'postgres'),
  password: setting.string('Password', 'postgres', { secret: true }),
  database: setting.string('Database', 'falcosidekick'),
  hypertablename: setting.string(
    'Table (a hypertable with TimescaleDB, any table with plain PostgreSQL)',
    'falcosidekick_events',
  ),
  batchsize: setting.int('Most rows per INSERT transaction', 500, { min: 1, max: 10_000, extension: true }),
  flushinterval: setting.duration('Longest wait before a partial batch is inserted', 200, {
    extension: true,
  }),
  ...COMMON_SETTINGS,
};

export const timescaleDbOutput = defineOutput({
  type: 'timescaledb',
  title: 'TimescaleDB / PostgreSQL',
  section: 'timescaledb',
  enabledBy: ['host'],
  settings: TIMESCALEDB_SETTINGS,
  falcosidekick: 'outputs/timescaledb.go',
  summary:
    'Inserts each event as a row — time, rule, priority, source, output, tags, hostname and every `customfields`/`templatedfields` key as a column of its own — into a TimescaleDB hypertable or a plain PostgreSQL table, as falcosidekick does; batches are multi-row INSERTs in one transaction over kept connections.',
  example: `timescaledb:
  host: timescaledb.monitoring
  port: 5432
  user: falco
  password: change-me
  database: falco
  hypertablename: falcosidekick_events`,
  create: (values, ctx) => {
    if (!TABLE_NAME.test(values.hypertablename)) {
      ctx.error(
        'hypertablename',
        `"${values.hypertablename}" is not a table name (letters, digits, _ and $; optionally schema.table)`,
      );
    }
    return new TimescaleDbOutput(ctx.name, ctx.type, {
      host: values.host,
      port: values.port,
      user: values.user,
      password: values.password,
      database: values.database,
      table: values.hypertablename,
      customFieldKeys: ctx.customFieldKeys ?? [],
      batch: { maxEvents: values.batchsize, flushIntervalMs: values.flushinterval },
      secrets: ctx.secrets,
    });
  },
});
