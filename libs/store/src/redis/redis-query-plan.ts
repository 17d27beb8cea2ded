import { PRIORITIES, type EventQuery, type Priority } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import type { GroupBy } from '../event-store';
import { normalizeQuery, type NormalizedQuery } from '../event-query';
import { NAMESPACE_FIELD, type Dim, type RedisKeys } from './redis-keys';
import { triageCondition, withoutTriage } from './redis-triage';

/**
 * How a query is answered from the Redis layout (ADR 0004), decided without Redis: which index keys
 * stand for which condition, what must be read from the events themselves, and when counts alone
 * answer. Pure functions of the query, the clock and the key layout.
 */

/** One indexed condition: a member must be in at least one of the keys. */
export interface Group {
  keys: string[];
  /** Every event is in exactly one key of this dimension (all but tags): counts add up. */
  disjoint: boolean;
  /** Inverted: a member must be in none of the keys (triage `new`); never drives a scan. */
  exclude?: boolean;
}

export interface Plan {
  q: NormalizedQuery;
  /** Bounds on the events' times (epoch ms, inclusive); lo > hi: nothing can match. */
  lo: number;
  hi: number;
  groups: Group[];
  /** Conditions the indexes cannot answer (free text, pod): read the event and match it. */
  needsEvent: boolean;
  /** Strings, one of which the stored JSON must contain (case-folded for text) before it is parsed. */
  prefilter?: { lower: boolean; needles: string[]; inRedis: boolean };
}

/** Above this many ZCOUNTs a histogram is computed by scanning instead. */
export const MAX_GRID_COUNTS = 20_000;

/** A sorted-set score bound as Redis reads it. */
export const score = (n: number, exclusive = false): string =>
  n === Infinity ? '+inf' : n === -Infinity ? '-inf' : `${exclusive ? '(' : ''}${n}`;

/**
 * Free text the stored JSON may not contain verbatim: characters JSON escapes (quote, backslash, control
 * characters, Go's <>& and U+2028/9) and the comma that joins array values in the searchable text.
 */
export function prefilterable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x2028 || c === 0x2029) return false;
  }
  return !/["\\<>&,]/.test(text);
}

export function planQuery(query: EventQuery, now: number, keys: RedisKeys): Plan {
  const full = normalizeQuery(query, now);
  // triage is answered by its indexes (the events' JSON does not hold it)
  const q = withoutTriage(full);
  const groups: Group[] = [];
  const triage = triageCondition(keys, full.triage);
  if (triage !== undefined) groups.push({ keys: triage.keys, disjoint: true, exclude: triage.exclude });
  const add = (dim: Dim, values: Iterable<string> | undefined): void => {
    if (values === undefined) return;
    groups.push({ keys: [...values].map((v) => keys.index(dim, v)), disjoint: dim !== 'tag' });
  };
  add('priority', q.priority);
  add('rule', q.rule);
  add('source', q.source);
  add('hostname', q.hostname);
  add('tag', q.tags);
  add('ns', q.namespace);
  const plan: Plan = {
    q,
    lo: q.fromMs ?? -Infinity,
    hi: q.toMs ?? Infinity,
    groups,
    needsEvent: q.text !== undefined || q.pod !== undefined,
  };
  // A cheap substring test on the stored JSON rules most events out before the (costlier) lossless parse.
  // In Redis (Lua) only for ASCII text: Lua folds ASCII letters only. The one divergence left: JS folds a
  // few non-ASCII letters to ASCII (KELVIN SIGN to k), which Lua leaves alone; the lossless check decides.
  if (q.text !== undefined && prefilterable(q.text))
    plan.prefilter = { lower: true, needles: [q.text], inRedis: /^[\x20-\x7e]*$/.test(q.text) };
  else if (q.text === undefined && q.pod !== undefined) {
    plan.prefilter = {
      lower: false,
      needles: [...q.pod].map((p) => `${goJsonString('k8s.pod.name')}:${goJsonString(p)}`),
      inRedis: true,
    };
  }
  return plan;
}

/** Nothing can match: the time range is empty. */
export function emptyRange(plan: Plan): boolean {
  return plan.lo > plan.hi;
}

/**
 * The keys whose ZCOUNTs in the time range add up to the number of matches, when the indexes alone
 * answer it (no event reads, no intersection); `[]` when nothing can match; undefined: scan instead.
 */
export function countKeys(plan: Plan, keys: RedisKeys): string[] | undefined {
  if (emptyRange(plan)) return [];
  if (plan.needsEvent) return undefined;
  if (plan.groups.length === 0) return [keys.all()];
  const g = plan.groups[0] as Group;
  if (plan.groups.length > 1 || g.exclude === true || (!g.disjoint && g.keys.length > 1)) return undefined;
  return g.keys;
}

const INDEXED_GROUPS: Partial<Record<GroupBy, Dim>> = {
  priority: 'priority',
  rule: 'rule',
  source: 'source',
  hostname: 'hostname',
  tags: 'tag',
  [NAMESPACE_FIELD]: 'ns',
};

/** The dimension whose per-value indexes answer a count by `groupBy` without reading events, if any. */
export function groupDimension(plan: Plan, groupBy: GroupBy): Dim | undefined {
  if (plan.groups.length > 0 || plan.needsEvent) return undefined;
  return INDEXED_GROUPS[groupBy];
}

/** A histogram can be counted per bucket and priority from the indexes (else: scan). */
export function histogramFromIndexes(plan: Plan): boolean {
  const onlyPriority =
    plan.groups.length === 0 || (plan.groups.length === 1 && plan.q.priority !== undefined);
  return !plan.needsEvent && onlyPriority;
}

/** One ZCOUNT of a histogram grid: events of `priority` between `min` and `max` (Redis score bounds). */
export interface GridCell {
  start: number;
  priority: Priority;
  min: string;
  max: string;
}

/**
 * The ZCOUNTs of a histogram from the oldest to the newest matching time, one per bucket and priority;
 * undefined when there would be more than `maxCounts` (scan instead).
 */
export function histogramGrid(
  plan: Plan,
  intervalMs: number,
  oldest: number,
  newest: number,
  maxCounts = MAX_GRID_COUNTS,
): GridCell[] | undefined {
  const priorities: readonly Priority[] = plan.q.priority !== undefined ? [...plan.q.priority] : PRIORITIES;
  const first = Math.floor(oldest / intervalMs) * intervalMs;
  const buckets = Math.floor((newest - first) / intervalMs) + 1;
  if (buckets * priorities.length > maxCounts) return undefined;
  const cells: GridCell[] = [];
  for (let b = 0; b < buckets; b++) {
    const t = first + b * intervalMs;
    for (const priority of priorities) {
      cells.push({
        start: t,
        priority,
        min: score(Math.max(t, plan.lo)),
        max: plan.hi < t + intervalMs ? score(plan.hi) : score(t + intervalMs, true),
      });
    }
  }
  return cells;
}
