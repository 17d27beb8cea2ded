import {
  httpOptions,
  type BatchPolicy,
  type CreateContext,
  type HttpSenderOptions,
  type SettingValues,
  type TimePrecision,
} from '@falconer/outputs-core';
import type { INFLUXDB_SETTINGS } from './influxdb.descriptor';

export interface InfluxdbConfig {
  /** The full write URL (v1 or v2), parameters encoded. */
  writeUrl: string;
  /** Precision of the timestamps in the lines. */
  precision: TimePrecision;
  token: string;
  batch: BatchPolicy;
  http: HttpSenderOptions;
}

/** Spellings accepted for `precision` (InfluxDB 1.x and 2.x), to Falconer's unit. */
const PRECISIONS: Record<string, TimePrecision> = {
  n: 'ns',
  ns: 'ns',
  u: 'us',
  us: 'us',
  µs: 'us',
  ms: 'ms',
  s: 's',
  m: 'm',
  h: 'h',
};

/** `influxdb.*` (spec/outputs.md) as the output takes them. v2 when organization and bucket are set, else v1. */
export function influxdbConfig(
  v: SettingValues<typeof INFLUXDB_SETTINGS>,
  ctx: CreateContext,
): InfluxdbConfig {
  const hostport = v.hostport.replace(/\/+$/, '');
  let precision: TimePrecision = PRECISIONS[v.precision.toLowerCase()] ?? 'ns';
  if (PRECISIONS[v.precision.toLowerCase()] === undefined)
    ctx.error('precision', `expected ns|u|ms|s|m|h, got "${v.precision}"`);
  const v2 = v.organization !== '' && v.bucket !== '';
  const enc = encodeURIComponent;
  let writeUrl: string;
  if (v2) {
    if (precision === 'm' || precision === 'h') {
      ctx.error('precision', 'InfluxDB 2 takes ns|us|ms|s');
      precision = 's';
    }
    writeUrl = `${hostport}/api/v2/write?org=${enc(v.organization)}&bucket=${enc(v.bucket)}&precision=${precision}`;
  } else {
    writeUrl = `${hostport}/write?db=${enc(v.database)}`;
    if (v.user !== '' && v.password !== '' && v.token === '')
      writeUrl += `&u=${enc(v.user)}&p=${enc(v.password)}`;
    writeUrl += `&precision=${precision === 'us' ? 'u' : precision}`;
  }
  return {
    writeUrl,
    precision,
    token: v.token,
    batch: { maxEvents: v.batchsize, flushIntervalMs: v.flushinterval },
    http: httpOptions(v, ctx, { secrets: [v.user.length >= 4 ? v.user : undefined] }),
  };
}
