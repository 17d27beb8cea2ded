import type { FailureReason } from '@falconer/contracts';
import type { SendFailure } from './output';

/** What the classifier needs from an HTTP answer. */
export interface StatusInput {
  status: number;
  /** Value of the Retry-After header, when present. */
  retryAfter?: string | undefined;
  /** Already redacted, short. */
  detail: string;
  /** Statuses that count as success; default: any 2xx. */
  success?: ReadonlySet<number> | undefined;
}

export interface Classification {
  ok: boolean;
  retryable: boolean;
  reason: FailureReason | 'ok';
}

/**
 * The one mapping from an HTTP status to a delivery outcome (delivery.md): 2xx ok; 401/403 auth_error,
 * never retried; 408 timeout and 429 rate_limited, retried; other 4xx client_error, not retried;
 * 5xx server_error, retried. Anything else (1xx, 3xx: redirects are not followed) is a client_error.
 */
export function classifyStatus(status: number, success?: ReadonlySet<number>): Classification {
  const isSuccess = success ? success.has(status) : status >= 200 && status < 300;
  if (isSuccess) return { ok: true, retryable: false, reason: 'ok' };
  if (status === 401 || status === 403) return { ok: false, retryable: false, reason: 'auth_error' };
  if (status === 408) return { ok: false, retryable: true, reason: 'timeout' };
  if (status === 429) return { ok: false, retryable: true, reason: 'rate_limited' };
  if (status >= 500 && status < 600) return { ok: false, retryable: true, reason: 'server_error' };
  return { ok: false, retryable: false, reason: 'client_error' };
}

/**
 * Retry-After as milliseconds from `now`: delta-seconds (`120`) or an HTTP date. Undefined when absent
 * or unreadable; never negative. Capped at one day so a hostile header cannot park an output forever.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  const MAX = 86_400_000;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.min(Math.round(Number(s) * 1000), MAX);
  // HTTP-date (RFC 9110): IMF-fixdate, or the obsolete RFC 850 / asctime forms Date.parse also reads.
  if (!/[a-z]/i.test(s)) return undefined;
  const at = Date.parse(s);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX);
}

/** A SendResult for an HTTP answer; `undefined` means success. */
export function resultForStatus(input: StatusInput, now: number = Date.now()): SendFailure | undefined {
  const c = classifyStatus(input.status, input.success);
  if (c.ok || c.reason === 'ok') return undefined;
  const failure: SendFailure = { ok: false, retryable: c.retryable, reason: c.reason, detail: input.detail };
  if (c.retryable) {
    const ms = parseRetryAfter(input.retryAfter, now);
    if (ms !== undefined) failure.retryAfterMs = ms;
  }
  return failure;
}

/**
 * What falcosidekick's HTTP client counts as delivered: 200, 201, 202 and 204 only (another 2xx is a
 * failure there, so it is here for the outputs that keep its behaviour).
 */
export const FALCOSIDEKICK_SUCCESS: ReadonlySet<number> = new Set([200, 201, 202, 204]);
