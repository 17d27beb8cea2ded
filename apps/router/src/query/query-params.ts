import type { EventQuery } from '@falconer/contracts';
import { GROUP_BYS, QueryError, type GroupBy, type SearchOptions } from '@falconer/store';
import { parseDuration } from '@falconer/util';

/** Fastify's query string: a repeated key becomes an array. */
export type RawQuery = Record<string, string | string[] | undefined>;

export const DEFAULT_LIMIT = 100;
/** Pages up to this size are read in one store call; larger ones (Export asks 10 000) are streamed. */
export const MAX_PAGE_IN_MEMORY = 1000;
/** A histogram never has more buckets than this (a chart has a few hundred pixels). */
export const MAX_BUCKETS = 10_000;

const LIST_KEYS = ['priority', 'rule', 'source', 'hostname', 'tags', 'namespace', 'pod', 'triage'] as const;
const TEXT_KEYS = ['filter', 'since', 'from', 'to'] as const;

/** falcosidekick-ui's frontend sends `null` (and `undefined`, from unset filters) for "no value". */
function given(v: string): boolean {
  return v !== 'null' && v !== 'undefined';
}

function list(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const values = (Array.isArray(v) ? v : [v]).filter(given);
  return values.length > 0 ? values : undefined;
}

function single(raw: RawQuery, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length > 1) throw new QueryError(key, `${key}: given ${v.length} times; give it once`);
    return v[0] !== undefined && given(v[0]) ? v[0] : undefined;
  }
  return given(v) ? v : undefined;
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

function wholeNumber(raw: RawQuery, key: string): number | undefined {
  const v = single(raw, key)?.trim();
  if (v === undefined || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw new QueryError(key, `${key}: expected a whole number, got "${v}"`);
  return Number(v);
}

/**
 * `page` and `limit` as falcosidekick-ui reads them: pages are 1-based and `page=0` (or below) is the first
 * page too (its timelines ask 0, then 2, 3…); `limit` 0 or below (Vuetify's "All" is -1) means 100 and has
 * no maximum: Export asks 10 000, and a page that large is streamed (MAX_PAGE_IN_MEMORY).
 */
export function pageOptions(raw: RawQuery): SearchOptions {
  const page = wholeNumber(raw, 'page') ?? 1;
  const limit = wholeNumber(raw, 'limit') ?? DEFAULT_LIMIT;
  return {
    page: Math.min(Math.max(1, page), Number.MAX_SAFE_INTEGER),
    limit: limit < 1 ? DEFAULT_LIMIT : Math.min(limit, Number.MAX_SAFE_INTEGER),
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
