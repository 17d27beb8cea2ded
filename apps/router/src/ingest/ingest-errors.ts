import type { Logger } from 'pino';
import type { ApiError } from '@falconer/contracts';
import { OverloadedError } from '@falconer/delivery';
import { EventValidationError } from '@falconer/falco';
import { DuplicateEventError } from '@falconer/store';
import type { MetricsService } from '../metrics/metrics.service';
import { SpoolFullError } from './event-spool';

export interface IngestRefusal {
  status: number;
  body: ApiError;
  headers: Record<string, string>;
}

/** One mapping from an ingest failure to its answer, shared by the raw fast path and the Fastify routes. */
export function refusalFor(err: unknown, metrics: MetricsService, log: Logger, count = 1): IngestRefusal {
  if (err instanceof EventValidationError) {
    metrics.rejected(count);
    const body: ApiError = { error: err.code, message: err.message };
    if (err.field !== undefined) body.field = err.field;
    return { status: 400, body, headers: {} };
  }
  if (err instanceof DuplicateEventError) {
    metrics.rejected(count);
    return { status: 409, body: { error: 'duplicate_uuid', message: err.message }, headers: {} };
  }
  if (err instanceof SpoolFullError) {
    return {
      status: 503,
      body: { error: 'spool_full', message: `${err.message}; retry later` },
      headers: { 'retry-after': String(err.retryAfterSeconds) },
    };
  }
  if (err instanceof OverloadedError) {
    return {
      status: 503,
      body: { error: 'overloaded', message: `${err.message}; retry later` },
      headers: { 'retry-after': String(err.retryAfterSeconds) },
    };
  }
  log.error({ err }, 'ingest failed');
  return {
    status: 503,
    body: { error: 'unavailable', message: 'the event could not be recorded; retry later' },
    headers: { 'retry-after': '1' },
  };
}

export function tooLarge(limit: number): IngestRefusal {
  return {
    status: 413,
    body: { error: 'payload_too_large', message: `body is larger than the limit of ${limit} bytes` },
    headers: {},
  };
}
