import type { EventQuery } from '@falconer/contracts';
import type { Params } from './client';

/** The list filters of EventQuery, in the order the filter bar shows them. */
export const LIST_KEYS = [
  'priority',
  'rule',
  'source',
  'hostname',
  'tags',
  'namespace',
  'pod',
  'triage',
] as const;
export type ListKey = (typeof LIST_KEYS)[number];
const TEXT_KEYS = ['filter', 'since', 'from', 'to'] as const;

function splitList(value: string | null): string[] | undefined {
  if (value === null) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length === 0 ? undefined : items;
}

/** Reads a filter from the page URL; the URL uses the API's own parameter names, so a view is shareable. */
export function queryFromSearch(search: URLSearchParams): EventQuery {
  const q: EventQuery = {};
  for (const key of LIST_KEYS) {
    const list = splitList(search.get(key));
    if (list !== undefined) q[key] = list;
  }
  for (const key of TEXT_KEYS) {
    const v = search.get(key);
    if (v !== null && v.trim() !== '') q[key] = v.trim();
  }
  return q;
}

/** The filter as API parameters (and page URL parameters): lists comma-joined, empties dropped. */
export function queryToParams(q: EventQuery): Params {
  const p: Params = {};
  for (const key of LIST_KEYS) {
    const list = q[key];
    if (list !== undefined && list.length > 0) p[key] = list.join(',');
  }
  for (const key of TEXT_KEYS) {
    const v = q[key];
    if (v !== undefined && v !== '') p[key] = v;
  }
  return p;
}

/** Writes the filter into a copy of the URL's parameters, keeping unrelated ones (e.g. the open event). */
export function withQuery(search: URLSearchParams, q: EventQuery): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const key of [...LIST_KEYS, ...TEXT_KEYS]) next.delete(key);
  for (const [k, v] of Object.entries(queryToParams(q))) if (typeof v === 'string') next.set(k, v);
  next.delete('page');
  return next;
}

/** A stable key part for TanStack Query. */
export function queryKeyPart(q: EventQuery): string {
  return new URLSearchParams(queryToParams(q) as Record<string, string>).toString();
}
