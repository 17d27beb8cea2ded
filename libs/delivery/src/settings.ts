import { SettingsReader } from '@falconer/outputs-core';
import { asStringList, parseDuration } from '@falconer/util';

/** One output instance's delivery policy (`delivery:` in its config), defaults from spec/delivery.md. */
export interface DeliverySettings {
  /** Most send attempts per event (the first one included) before it is dead-lettered. */
  attempts: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Sends in flight at once for this output. */
  concurrency: number;
  /** Bound of the queue (queued + being retried); past it ingest answers 503. */
  queueSize: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  breaker: BreakerSettings;
  /** Overrides of the output's own batch policy. */
  batch: { maxEvents?: number; flushIntervalMs?: number };
}

export interface BreakerSettings {
  /** The breaker opens only after this long without a success… */
  afterMs: number;
  /** …and at least this many failures in a row. */
  minFailures: number;
  /** While open, one probe this often. */
  probeMs: number;
}

export const DEFAULT_DELIVERY: Readonly<DeliverySettings> = Object.freeze({
  attempts: 12,
  timeoutMs: 10_000,
  concurrency: 4,
  queueSize: 100_000,
  backoffBaseMs: 500,
  backoffCapMs: 60_000,
  breaker: Object.freeze({ afterMs: 10_000, minFailures: 5, probeMs: 2_000 }),
  batch: Object.freeze({}),
});

/** `aggregate:` of one output: identical alerts within the window become one message with a count. */
export interface AggregateSettings {
  windowMs: number;
  /** Event paths: `rule`, `hostname`, `priority`, `source`, `output`, `output_fields.<name>` (or a bare field name). */
  key: string[];
}

export const DEFAULT_AGGREGATE_KEY: readonly string[] = ['rule', 'hostname', 'output_fields.k8s.pod.name'];

const DELIVERY_KEYS = new Set([
  'retries',
  'attempts',
  'timeout',
  'concurrency',
  'maxconcurrentrequests',
  'queuesize',
  'queue.size',
  'backoff.base',
  'backoff.cap',
  'breaker.after',
  'breaker.minfailures',
  'breaker.probe',
  'batch.maxevents',
  'batch.flushinterval',
]);

/** Dotted names of every leaf of a nested settings map (`breaker: {after: 5s}` → `breaker.after`). */
function leafKeys(tree: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix + k.toLowerCase();
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      out.push(...leafKeys(v as Record<string, unknown>, key + '.'));
    else out.push(key);
  }
  return out;
}

/**
 * Reads `delivery:` of one output instance. `retries` is the most attempts per event (the first one
 * included; `attempts` is accepted as its synonym). Every problem is returned as `<path>.delivery.<key>: …`.
 */
export function readDeliverySettings(
  raw: Readonly<Record<string, unknown>>,
  path: string,
): { settings: DeliverySettings; errors: string[] } {
  const r = new SettingsReader(raw, `${path}.delivery`);
  for (const key of leafKeys(raw))
    if (!DELIVERY_KEYS.has(key))
      r.error(key, `unknown delivery setting (known: ${[...DELIVERY_KEYS].join(', ')})`);
  const d = DEFAULT_DELIVERY;
  const attempts = r.int('retries', r.int('attempts', d.attempts, 1, 1000), 1, 1000);
  const concurrency = r.int('concurrency', r.int('maxconcurrentrequests', d.concurrency, 1, 1024), 1, 1024);
  const settings: DeliverySettings = {
    attempts,
    timeoutMs: r.duration('timeout', d.timeoutMs),
    concurrency,
    queueSize: r.int('queuesize', r.int('queue.size', d.queueSize, 1), 1),
    backoffBaseMs: r.duration('backoff.base', d.backoffBaseMs),
    backoffCapMs: r.duration('backoff.cap', d.backoffCapMs),
    breaker: {
      afterMs: r.duration('breaker.after', d.breaker.afterMs),
      minFailures: r.int('breaker.minfailures', d.breaker.minFailures, 1),
      probeMs: r.duration('breaker.probe', d.breaker.probeMs),
    },
    batch: {},
  };
  if (r.raw('batch.maxevents') !== undefined)
    settings.batch.maxEvents = r.int('batch.maxevents', 1, 1, 100_000);
  if (r.raw('batch.flushinterval') !== undefined)
    settings.batch.flushIntervalMs = r.duration('batch.flushinterval', 0);
  if (settings.timeoutMs <= 0) r.error('timeout', 'must be more than 0');
  if (settings.backoffBaseMs <= 0) r.error('backoff.base', 'must be more than 0');
  if (settings.backoffCapMs < settings.backoffBaseMs)
    r.error('backoff.cap', 'must not be less than backoff.base');
  if (settings.breaker.probeMs <= 0) r.error('breaker.probe', 'must be more than 0');
  return { settings, errors: r.errors };
}

/** Reads `aggregate:` (`window`, default 60s; `key`, default rule, hostname and pod name). */
export function readAggregateSettings(
  raw: Readonly<Record<string, unknown>>,
  path: string,
): { settings: AggregateSettings; errors: string[] } {
  const errors: string[] = [];
  let windowMs = 60_000;
  let key = [...DEFAULT_AGGREGATE_KEY];
  for (const k of Object.keys(raw)) {
    if (k !== 'window' && k !== 'key')
      errors.push(`${path}.aggregate.${k}: unknown setting (known: window, key)`);
  }
  if (raw['window'] !== undefined && raw['window'] !== '') {
    try {
      windowMs = parseDuration(raw['window']);
      if (windowMs < 1000) errors.push(`${path}.aggregate.window: must be at least 1s`);
    } catch (err) {
      errors.push(`${path}.aggregate.window: ${(err as Error).message}`);
    }
  }
  if (raw['key'] !== undefined && raw['key'] !== '') {
    try {
      key = asStringList(raw['key']);
      if (key.length === 0) errors.push(`${path}.aggregate.key: must name at least one field`);
    } catch (err) {
      errors.push(`${path}.aggregate.key: ${(err as Error).message}`);
    }
  }
  return { settings: { windowMs, key }, errors };
}
