import {
  TRIAGE_STATES,
  type EventQuery,
  type TriageState,
  type FalcoEvent,
  type FieldValue,
  type Priority,
} from '@falconer/contracts';
import { parsePriority, parseRfc3339 } from '@falconer/falco';
import { parseDuration } from '@falconer/util';

/** A validated query, ready to match events. */
export interface NormalizedQuery {
  priority?: Set<Priority>;
  rule?: Set<string>;
  source?: Set<string>;
  hostname?: Set<string>;
  tags?: Set<string>;
  namespace?: Set<string>;
  pod?: Set<string>;
  /** Triage states (absent: any). */
  triage?: Set<TriageState>;
  /** Lower-cased free text. */
  text?: string;
  /** Epoch ms bounds on the event's time. */
  fromMs?: number;
  toMs?: number;
}

export class QueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

function list(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const out = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return out.length > 0 ? out : undefined;
}

/**
 * falcosidekick-ui's `since` units (`<n><unit>`, its frontend sends 5min … 2y): a month is 30 days and a
 * year 365, as there. Case matters: `M` is a month, `m` a minute.
 */
const UI_SINCE_UNITS = new Map<string, number>();
for (const [seconds, names] of [
  [1, ['s', 'second', 'seconds']],
  [60, ['m', 'min', 'minute', 'minutes']],
  [3_600, ['h', 'hour', 'hours']],
  [86_400, ['d', 'day', 'days']],
  [7 * 86_400, ['w', 'week', 'weeks']],
  [30 * 86_400, ['M', 'month', 'months']],
  [365 * 86_400, ['y', 'year', 'years']],
] as const) {
  for (const n of names) UI_SINCE_UNITS.set(n, seconds * 1000);
}

/**
 * A `since` value in milliseconds: falcosidekick-ui's `<n><unit>` (5min, 1w, 3M, 2y…), else a Go-style
 * duration (`15m`, `1h30m`, `7d`) or a number of seconds. Throws QueryError for anything else.
 */
export function sinceMs(text: string): number {
  const s = text.trim();
  const ui = /^(\d+)([a-zA-Z]+)$/.exec(s);
  const unit = ui === null ? undefined : UI_SINCE_UNITS.get(ui[2] as string);
  if (ui !== null && unit !== undefined) return Number(ui[1]) * unit;
  try {
    return parseDuration(s);
  } catch {
    throw new QueryError(
      'since',
      `since: expected a duration such as 15m, 2h, 7d, 1w, 3M, 1y or a number of seconds, got "${text}"`,
    );
  }
}

/** Validates a query; throws QueryError naming the bad parameter. `now` is injectable for tests. */
export function normalizeQuery(query: EventQuery, now = Date.now()): NormalizedQuery {
  const out: NormalizedQuery = {};
  const priorities = list(query.priority);
  if (priorities) {
    out.priority = new Set(
      priorities.map((p) => {
        const found = parsePriority(p);
        if (!found)
          throw new QueryError(
            'priority',
            `priority: unknown value "${p}"; expected one of Emergency..Debug`,
          );
        return found;
      }),
    );
  }
  for (const key of ['rule', 'source', 'hostname', 'tags', 'namespace', 'pod'] as const) {
    const values = list(query[key]);
    if (values) out[key] = new Set(values);
  }
  const triage = list(query.triage);
  if (triage) {
    out.triage = new Set(
      triage.map((t) => {
        const found = TRIAGE_STATES.find((s) => s === t.toLowerCase());
        if (found === undefined)
          throw new QueryError(
            'triage',
            `triage: unknown value "${t}"; expected ${TRIAGE_STATES.join(', ')}`,
          );
        return found;
      }),
    );
  }
  if (query.filter !== undefined && query.filter.trim() !== '') out.text = query.filter.trim().toLowerCase();
  if (query.since !== undefined && query.since.trim() !== '') {
    const ms = sinceMs(query.since);
    // 0 is "no lower bound", as in falcosidekick-ui (its frontend never sends it; scripts may)
    if (ms > 0) out.fromMs = now - ms;
  }
  for (const key of ['from', 'to'] as const) {
    const v = query[key];
    if (v === undefined || v === '') continue;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw new QueryError(key, `${key}: expected an RFC 3339 time, got "${v}"`);
    if (key === 'from') out.fromMs = Math.max(out.fromMs ?? -Infinity, ms);
    else out.toMs = ms;
  }
  return out;
}

/** Epoch milliseconds of the event's time. */
export function eventTimeMs(event: FalcoEvent): number {
  // every recorded event passed validation, so its time is RFC 3339; Date.parse is for anything else
  return parseRfc3339(event.time)?.ms ?? Date.parse(event.time);
}

function fieldText(v: FieldValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => String(x)).join(',');
  return String(v);
}

export function fieldString(event: FalcoEvent, key: string): string | undefined {
  return fieldText(event.output_fields[key]);
}

/**
 * The values an event counts under for a group-by: one value, every tag for `tags`, none when an output
 * field is absent (an event without a namespace is not counted under "").
 */
export function groupValues(event: FalcoEvent, groupBy: string): readonly string[] {
  switch (groupBy) {
    case 'priority':
      return [event.priority];
    case 'rule':
      return [event.rule];
    case 'source':
      return [event.source];
    case 'hostname':
      return [event.hostname];
    case 'tags':
      return event.tags;
    default: {
      const v = fieldString(event, groupBy);
      return v === undefined ? [] : [v];
    }
  }
}

/** The lower bound a TTL puts on event times (`-Infinity` when the TTL is off, i.e. <= 0). */
export function ttlCutoff(now: number, ttlMs: number): number {
  return ttlMs > 0 ? now - ttlMs : -Infinity;
}

/** The searchable text of an event, lower-cased: output, rule, tags and field values. */
export function eventText(event: FalcoEvent): string {
  const parts = [event.output, event.rule, ...event.tags];
  for (const v of Object.values(event.output_fields)) {
    const t = fieldText(v);
    if (t !== undefined) parts.push(t);
  }
  return parts.join('\n').toLowerCase();
}

/**
 * `text` gives the event's searchable text; a caller matching one event against many queries (the live
 * hub) passes one that computes it once for all of them. `triage` is the event's triage state (an event
 * just accepted is `new`).
 */
export function matchesQuery(
  q: NormalizedQuery,
  event: FalcoEvent,
  text: () => string = () => eventText(event),
  triage: TriageState = 'new',
): boolean {
  if (q.triage && !q.triage.has(triage)) return false;
  if (q.priority && !q.priority.has(event.priority)) return false;
  if (q.rule && !q.rule.has(event.rule)) return false;
  if (q.source && !q.source.has(event.source)) return false;
  if (q.hostname && !q.hostname.has(event.hostname)) return false;
  if (q.tags && !event.tags.some((t) => q.tags?.has(t))) return false;
  if (q.namespace && !q.namespace.has(fieldString(event, 'k8s.ns.name') ?? '')) return false;
  if (q.pod && !q.pod.has(fieldString(event, 'k8s.pod.name') ?? '')) return false;
  if (q.fromMs !== undefined || q.toMs !== undefined) {
    const t = eventTimeMs(event);
    if (q.fromMs !== undefined && t < q.fromMs) return false;
    if (q.toMs !== undefined && t > q.toMs) return false;
  }
  if (q.text !== undefined && !text().includes(q.text)) return false;
  return true;
}
