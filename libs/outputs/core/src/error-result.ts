import type { SendFailure } from './output';
import { resultForStatus } from './classify';
import { safeExcerpt } from './redact';

/** Socket-level error codes after which the same request may succeed later. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
  $response?: { headers?: Record<string, string | undefined> };
}

function codeOf(err: ErrorLike | undefined, depth = 0): string | undefined {
  if (err === undefined || err === null || depth > 4) return undefined;
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return err.code;
  return codeOf(err.cause as ErrorLike | undefined, depth + 1);
}

/**
 * The one mapping from a client library's exception (AWS SDK, Google, broker and database clients) to a
 * delivery outcome, for outputs that do not speak HTTP through HttpSender: an HTTP status the library
 * carries is classified like any HTTP answer; aborts are timeouts; socket errors are `network`; both retried.
 * Anything else is a client error that retrying cannot fix. Secrets never reach the detail.
 */
export function resultForError(error: unknown, secrets: readonly string[] = []): SendFailure {
  const err = (error ?? {}) as ErrorLike;
  const name = typeof err.name === 'string' ? err.name : 'Error';
  const message = typeof err.message === 'string' ? err.message : String(error);
  const detail = safeExcerpt(`${name}: ${message}`, secrets);
  const status = err.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status > 0) {
    const failure = resultForStatus({ status, retryAfter: err.$response?.headers?.['retry-after'], detail });
    if (failure !== undefined) {
      // throttling answered with 400 by some APIs (AWS "ThrottlingException")
      if (/Throttl|TooManyRequests|SlowDown|RequestLimitExceeded/i.test(name))
        return { ok: false, retryable: true, reason: 'rate_limited', detail };
      return failure;
    }
  }
  // gRPC status codes (Google clients): unavailable, deadline, exhausted, aborted, internal → retried
  const grpc = typeof err.code === 'number' && 'details' in (err as object) ? err.code : undefined;
  if (grpc !== undefined) {
    if (grpc === 16 || grpc === 7) return { ok: false, retryable: false, reason: 'auth_error', detail };
    if (grpc === 8) return { ok: false, retryable: true, reason: 'rate_limited', detail };
    if (grpc === 4) return { ok: false, retryable: true, reason: 'timeout', detail };
    if (grpc === 14 || grpc === 10 || grpc === 13 || grpc === 1)
      return { ok: false, retryable: true, reason: 'server_error', detail };
    return { ok: false, retryable: false, reason: 'client_error', detail };
  }
  if (name === 'AbortError' || name === 'TimeoutError')
    return { ok: false, retryable: true, reason: 'timeout', detail };
  if (codeOf(err) !== undefined || err.$retryable !== undefined)
    return { ok: false, retryable: true, reason: 'network', detail };
  return { ok: false, retryable: false, reason: 'client_error', detail };
}
