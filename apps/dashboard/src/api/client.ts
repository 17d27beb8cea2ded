import { parseLosslessJson, type ApiError, type JsonValue } from '@falconer/contracts';
import { authorizeRequest, onUnauthorized } from './auth';

/** The API lives on the same origin as the page, whatever the dashboard's base path is. */
export const API_BASE = '/api/v1';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ApiError>,
  ) {
    super(body.message ?? `HTTP ${status}`);
    this.name = 'ApiRequestError';
  }
}

/** Query parameters as the API takes them: lists joined with commas, empty values left out. */
export type Params = Record<string, string | number | readonly string[] | undefined>;

export function apiUrl(path: string, params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    const text = typeof v === 'object' ? v.join(',') : String(v);
    if (text !== '') search.set(k, text);
  }
  const qs = search.toString();
  return `${API_BASE}${path}${qs === '' ? '' : `?${qs}`}`;
}

/**
 * The one place requests leave the dashboard. Answers are read as text and parsed losslessly: events
 * carry 19-digit integers that `res.json()` would round.
 */
export async function apiRequest<T>(
  path: string,
  init: { params?: Params; method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers = new Headers({ accept: 'application/json' });
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  authorizeRequest(headers);
  const res = await fetch(apiUrl(path, init.params), {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  const text = await res.text();
  let value: JsonValue | undefined;
  try {
    value = text === '' ? undefined : parseLosslessJson(text);
  } catch {
    value = undefined;
  }
  if (res.status === 401) onUnauthorized();
  if (!res.ok) {
    const body =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Partial<ApiError>)
        : {};
    throw new ApiRequestError(res.status, {
      error: body.error ?? 'http_error',
      message: body.message ?? `HTTP ${res.status} for ${path}`,
    });
  }
  return value as T;
}
