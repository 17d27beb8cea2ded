import {
  LosslessNumber,
  PRIORITIES,
  parseLosslessJson,
  type FalcoEvent,
  type FieldValue,
  type Priority,
} from '@falconer/contracts';

/**
 * The wire form leaves out empty `tags` and `hostname` (Go `omitempty`, as falcosidekick does): fill them
 * in so the rest of the dashboard can rely on the FalcoEvent shape.
 */
export function normalizeEvent(raw: unknown): FalcoEvent {
  const e = (raw ?? {}) as Partial<FalcoEvent>;
  return {
    uuid: e.uuid ?? '',
    output: e.output ?? '',
    priority: e.priority ?? 'Debug',
    rule: e.rule ?? '',
    time: e.time ?? '',
    output_fields: e.output_fields ?? {},
    source: e.source ?? '',
    tags: Array.isArray(e.tags) ? e.tags : [],
    hostname: e.hostname ?? '',
    // Falconer's mark: the silences that kept it from an output
    ...(Array.isArray(e.silenced) && e.silenced.length > 0
      ? { silenced: e.silenced.filter((x): x is string => typeof x === 'string') }
      : {}),
  };
}

/** Parses an event's JSON text (socket `event`, NDJSON line) keeping 19-digit numbers exact. */
export function parseEvent(text: string): FalcoEvent {
  return normalizeEvent(parseLosslessJson(text));
}

/** A field value as text, exactly as Falco sent it (LosslessNumber keeps its digits). */
export function fieldText(value: FieldValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (value instanceof LosslessNumber) return value.text;
  if (Array.isArray(value)) return (value as readonly FieldValue[]).map((v) => fieldText(v)).join(', ');
  return String(value);
}

export function field(event: FalcoEvent, name: string): string {
  return fieldText(event.output_fields[name]);
}

export const namespaceOf = (e: FalcoEvent): string => field(e, 'k8s.ns.name');
export const podOf = (e: FalcoEvent): string => field(e, 'k8s.pod.name');
export function imageOf(e: FalcoEvent): string {
  const repo = field(e, 'container.image.repository');
  const tag = field(e, 'container.image.tag');
  return repo === '' ? '' : tag === '' ? repo : `${repo}:${tag}`;
}

export function isPriority(p: string): p is Priority {
  return (PRIORITIES as readonly string[]).includes(p);
}

/** The priority as a CSS name part (`critical`); unknown priorities look like Debug. */
export function priorityKey(p: string): string {
  return isPriority(p) ? p.toLowerCase() : 'debug';
}

/** CSS class of a priority badge (see styles.css). */
export function priorityClass(p: string): string {
  return `prio prio-${priorityKey(p)}`;
}

/** CSS class giving a row or card its priority accent colour. */
export function priorityRowClass(p: string): string {
  return `prio-${priorityKey(p)}-row`;
}

/** Local time with milliseconds, compact for tables. */
export function formatTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
