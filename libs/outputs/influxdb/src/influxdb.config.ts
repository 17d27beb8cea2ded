import {
  httpOptions,
  SettingsReader,
  type BatchPolicy,
  type HttpSenderOptions,
  type OutputContext,
  type OutputSpec,
  type TimePrecision,
} from '@falconer/outputs-core';

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

/** `influxdb.*` (spec/outputs.md). v2 when organization and bucket are set, else v1. */
export function readInfluxdbConfig(
  spec: OutputSpec,
  ctx: OutputContext,
): { config: InfluxdbConfig; errors: string[] } {
  const r = new SettingsReader(spec.settings, spec.path);
  const hostport = r.url('hostport', true).replace(/\/+$/, '');
  const database = r.string('database', 'falco');
  const organization = r.string('organization');
  const bucket = r.string('bucket', 'falco');
  const user = r.string('user');
  const password = r.string('password');
  const token = r.string('token');
  const precisionText = r.string('precision', 'ns');
  let precision: TimePrecision = PRECISIONS[precisionText.toLowerCase()] ?? 'ns';
  if (PRECISIONS[precisionText.toLowerCase()] === undefined)
    r.error('precision', `expected ns|u|ms|s|m|h, got "${precisionText}"`);
  const v2 = organization !== '' && bucket !== '';
  const enc = encodeURIComponent;
  let writeUrl: string;
  if (v2) {
    if (precision === 'm' || precision === 'h') {
      r.error('precision', 'InfluxDB 2 takes ns|us|ms|s');
      precision = 's';
    }
    writeUrl = `${hostport}/api/v2/write?org=${enc(organization)}&bucket=${enc(bucket)}&precision=${precision}`;
  } else {
    writeUrl = `${hostport}/write?db=${enc(database)}`;
    if (user !== '' && password !== '' && token === '') writeUrl += `&u=${enc(user)}&p=${enc(password)}`;
    writeUrl += `&precision=${precision === 'us' ? 'u' : precision}`;
  }
  const config: InfluxdbConfig = {
    writeUrl,
    precision,
    token,
    batch: {
      maxEvents: r.int('batchsize', 1000, 1, 100_000),
      flushIntervalMs: r.duration('flushinterval', 1000),
    },
    http: httpOptions(r, ctx, [password, token, user.length >= 4 ? user : undefined]),
  };
  return { config, errors: r.errors };
}
