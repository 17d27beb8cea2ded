import { LosslessNumber, PRIORITY_LEVEL, type FalcoEvent, type Priority } from '@falconer/contracts';
import { goJsonString, stringifyGoSorted } from '@falconer/falco';
import { goRfc3339Nano } from '@falconer/outputs-core';
import type { AlertmanagerConfig } from './alertmanager.config';

type Fmt = Pick<
  AlertmanagerConfig,
  | 'expiresAfterSeconds'
  | 'extraLabels'
  | 'extraAnnotations'
  | 'severity'
  | 'dropDefaultPriority'
  | 'dropThresholds'
>;

/** falcosidekick's default `severity` label by priority. */
export const DEFAULT_SEVERITY: Readonly<Record<Priority, string>> = {
  Debug: 'information',
  Informational: 'information',
  Notice: 'information',
  Warning: 'warning',
  Error: 'warning',
  Critical: 'critical',
  Alert: 'critical',
  Emergency: 'critical',
};

/** Go's zero `time.Time`: falcosidekick's `omitempty` does not omit a struct, so it is always sent. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** An output field name as a label name: unsafe characters to `_`, `__` folded once, edge `_` trimmed. */
export function safeLabel(name: string): string {
  return name
    .replace(/[^a-zA-Z0-9_]/g, '_')
    .replace(/__/g, '_')
    .replace(/^_+|_+$/g, '');
}

const raise = (p: Priority, to: Priority): Priority => (PRIORITY_LEVEL[p] < PRIORITY_LEVEL[to] ? to : p);

/** A number or numeric string field as Go would print it; undefined for anything else. */
function numberText(v: unknown): string | undefined {
  if (v instanceof LosslessNumber) return v.text;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** A Go `map[string]string` as encoding/json writes it: keys sorted. */
const sortedObject = (m: ReadonlyMap<string, string>): string => stringifyGoSorted(Object.fromEntries(m));

/**
 * The body falcosidekick posts for one event (outputs/alertmanager.go): a one-alert JSON array, map keys
 * sorted as Go marshals them, Go string escaping, and the newline of Go's json.Encoder.
 */
export function formatAlertmanager(event: FalcoEvent, cfg: Fmt): string {
  const labels = new Map<string, string>();
  let priority = event.priority;
  for (const [name, value] of Object.entries(event.output_fields)) {
    if (name.startsWith('n_evts')) continue;
    if (name.startsWith('n_drop')) {
      // Syscall drop counts: bucketed by threshold so that each count does not make a new alert.
      const text = typeof value === 'string' ? value.trim() : numberText(value);
      if (text === undefined || !/^-?\d+$/.test(text)) continue;
      const d = BigInt(text);
      let bucket = '';
      if (d === 0n) {
        priority = raise(priority, 'Warning');
        bucket = '0';
      } else {
        const hit = cfg.dropThresholds.find((t) => d > t.count);
        if (hit) {
          bucket = `>${hit.count}`;
          priority = raise(priority, hit.priority);
        }
      }
      if (bucket === '') {
        bucket = text;
        priority = raise(priority, cfg.dropDefaultPriority);
      }
      labels.set(name, bucket);
      continue;
    }
    const text = typeof value === 'string' ? value : numberText(value);
    if (text !== undefined) labels.set(safeLabel(name), text);
  }
  labels.set('source', 'falco');
  labels.set('rule', event.rule);
  labels.set('eventsource', event.source);
  if (event.hostname !== '') labels.set('hostname', event.hostname);
  if (event.tags.length > 0) labels.set('tags', [...event.tags].sort().join(','));
  labels.set('priority', priority);
  labels.set('severity', cfg.severity[priority] ?? DEFAULT_SEVERITY[priority]);
  const annotations = new Map<string, string>([
    ['info', event.output],
    ['description', event.output],
    ['summary', event.rule],
  ]);
  const endsAt =
    cfg.expiresAfterSeconds !== 0
      ? (goRfc3339Nano(event.time, BigInt(cfg.expiresAfterSeconds) * 1_000_000_000n) ?? ZERO_TIME)
      : ZERO_TIME;
  for (const [k, v] of Object.entries(cfg.extraLabels)) labels.set(k, v);
  for (const [k, v] of Object.entries(cfg.extraAnnotations)) annotations.set(k, v);
  return `[{"labels":${sortedObject(labels)},"annotations":${sortedObject(annotations)},"endsAt":${goJsonString(endsAt)}}]\n`;
}
