import type { FailureReason, FalcoEvent } from '@falconer/contracts';
import type { OutputHealth } from './link';

/** A failed send. */
export interface SendFailure {
  ok: false;
  /** Whether trying again later may succeed. */
  retryable: boolean;
  reason: FailureReason;
  /** From Retry-After (429/503) when the destination said how long to wait. */
  retryAfterMs?: number;
  /** Human-readable, secrets redacted, at most a response excerpt. */
  detail: string;
  /**
   * For batch outputs that know per-item outcomes (Elasticsearch `_bulk`): the indexes into the batch
   * that failed retryably — only those are to be sent again. Absent = the whole batch failed.
   * Items of the batch in neither `failedIndexes` nor `rejectedIndexes` were delivered.
   */
  failedIndexes?: readonly number[];
  /**
   * Per-item outcomes only: indexes that failed for good (e.g. a document Elasticsearch refuses);
   * dead-letter them, do not retry them. With `failedIndexes` empty, `retryable` is false.
   */
  rejectedIndexes?: readonly number[];
}

export type SendResult = { ok: true } | SendFailure;

/** How the delivery layer may group events for this output. Absent = one event per send. */
export interface BatchPolicy {
  maxEvents: number;
  /** Approximate payload bytes; the worker closes a batch before it passes this. */
  maxBytes?: number;
  flushIntervalMs: number;
}

/**
 * One configured output instance. Outputs format and send; they never loop, sleep, retry or count.
 * The delivery layer owns timeouts, retries, batching, the breaker and metrics.
 */
export interface Output {
  /** Instance name, e.g. "slack-prod-critical". */
  readonly name: string;
  /** Output type, e.g. "slack". */
  readonly type: string;
  readonly batch?: BatchPolicy;
  /** One-off work at start (e.g. an Elasticsearch index template). */
  init?(signal: AbortSignal): Promise<SendResult>;
  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult>;
  close?(): Promise<void>;
  /** Outputs that hold a connection (brokers): its state and how often it was (re)established. */
  health?(): OutputHealth;
}

/** Something an output noticed that an operator should see (logged and counted by the caller). */
export interface OutputNotice {
  output: string;
  type: string;
  /** Stable machine name, e.g. `mapping_conflict_field_dropped`. */
  event: string;
  message: string;
  data?: Record<string, string | number | boolean>;
}
