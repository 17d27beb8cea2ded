import type { FailureReason, FalcoEvent } from '@falconer/contracts';

export type SendResult =
  | { ok: true }
  | {
      ok: false;
      retryable: boolean;
      reason: FailureReason;
      retryAfterMs?: number;
      /** Human-readable, secrets redacted, at most a response excerpt. */
      detail: string;
      /**
       * For batch outputs that know per-item outcomes (Elasticsearch `_bulk`): the indexes into the batch
       * that failed retryably. Absent = the whole batch failed.
       */
      failedIndexes?: readonly number[];
    };

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
}
