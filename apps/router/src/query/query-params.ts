import type { EventQuery } from '@falconer/contracts';
import { GROUP_BYS, QueryError, type GroupBy, type SearchOptions } from '@falconer/store';
import { parseDuration } from '@falconer/util';

/** Fastify's query string: a repeated key becomes an array. */
export type RawQuery = Record<string, string | string[] | undefined>;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** A histogram never has more buckets than this (a chart has a few hundred pixels). */
export const MAX_BUCKETS = 10_000;

const LIST_KEYS = ['priority', 'rule', 'source', 'hostname', 'tags', 'namespace', 'pod'] as const;
const TEXT_KEYS = ['filter', 'since', 'from', 'to'] as const;

function list(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [v];
}

function single(raw: RawQuery, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length > 1) throw new QueryError(key, `${key}: given ${v.length} times; give it once`);
    return v[0];
  }
  return v;
}

/** The falcosidekick-ui parameters (each list: comma = OR), plus Falconer's namespace, pod, from and to. */
export function eventQuery(raw: RawQuery): EventQuery {
  const q: EventQuery = {};
  for (const k of LIST_KEYS) {
    const v = list(raw[k]);
    if (v !== undefined) q[k] = v;
  }
  for (const k of TEXT_KEYS) {
    const v = single(raw, k);
    if (v !== undefined) q[k] = v;
  }
  return q;
}

function positiveInt(raw: RawQuery, key: string, fallback: number, max: number): number {
  const v = single(raw, key);
  if (v === undefined || v.trim() === '') return fallback;
  if (!/^\d+$/.test(v.trim()))
    throw new QueryError(key, `${key}: expected a whole number from 1 to ${max}, got "${v}"`);
  const n = Number(v);
  if (n < 1 || n > max)
    throw new QueryError(key, `${key}: expected a whole number from 1 to ${max}, got ${v}`);
  return n;
}

/** `page` (1-based) and `limit` (default 100, at most 1000). */
export function pageOptions(raw: RawQuery): SearchOptions {
  return {
    page: positiveInt(raw, 'page', 1, 1_000_000),
    limit: positiveInt(raw, 'limit', DEFAULT_LIMIT, MAX_LIMIT),
  };
}

export function groupBy(value: string): GroupBy {
  const g = GROUP_BYS.find((x) => x === value);
  if (g === undefined)
    throw new QueryError('groupby', `groupby: expected one of ${GROUP_BYS.join(', ')}, got "${value}"`);
  return g;
}

const NICE_INTERVALS = [
  1,
  5,
  10,
  30,
  60,
  300,
  600,
  900,
  1800,
  3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86_400,
  7 * 86_400,
].map((s) => s * 1000);

/**
 * The bucket width: `interval` as given (a duration such as `5m`), or the smallest round width that draws
 * the range in at most about 120 buckets. `spanMs` is the queried range (from `since`/`from`, else retention).
 */
export function histogramInterval(raw: RawQuery, spanMs: number): number {
  const v = single(raw, 'interval');
  if (v === undefined || v.trim() === '') {
    return (
      NICE_INTERVALS.find((i) => spanMs / i <= 120) ?? (NICE_INTERVALS[NICE_INTERVALS.length - 1] as number)
    );
  }
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch {
    throw new QueryError(
      'interval',
      `interval: expected a duration such as 1m, 1h or a number of seconds, got "${v}"`,
    );
  }
  if (ms < 1000) throw new QueryError('interval', `interval: at least 1s, got "${v}"`);
  if (spanMs / ms > MAX_BUCKETS) {
    throw new QueryError(
      'interval',
      `interval: "${v}" makes more than ${MAX_BUCKETS} buckets over the range; use a wider interval or a shorter since`,
    );
  }
  return ms;
}

/**
 * One CSV field per RFC 4180. A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`, so a
 * spreadsheet shows it as text: alert text carries attacker-controlled command lines, and an export is
 * made to be opened by an analyst (OWASP, "CSV injection").
 */
export function csvField(s: string): string {
  const text = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
