import type { FalcoEvent } from '@falconer/contracts';

/** Thrown by `enqueue` when a queue is past its bound: ingest answers 503 with Retry-After. */
export class OverloadedError extends Error {
  constructor(
    readonly output: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`queue of output ${output} is full`);
    this.name = 'OverloadedError';
  }
}

/**
 * The queue backend cannot take the event right now (Redis unreachable). Ingest answers it like a full
 * queue — 503 with Retry-After — so the sender tries again instead of the event being lost.
 */
export class QueueUnavailableError extends OverloadedError {
  constructor(
    output: string,
    retryAfterSeconds: number,
    override readonly cause: unknown,
  ) {
    super(output, retryAfterSeconds);
    this.name = 'QueueUnavailableError';
    this.message = `queue of output ${output} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}

/** The seam between ingest and delivery. */
export interface Dispatcher {
  /**
   * Queues the event for each named output instance. Resolves once it is durably queued for all of
   * them (memory: at once; Redis: after XADD); rejects with OverloadedError when a queue is full.
   */
  enqueue(event: FalcoEvent, outputs: readonly string[]): Promise<void>;
  start(): Promise<void>;
  /** Stops taking work, finishes in-flight sends up to the deadline; reports what was left unsent. */
  stop(deadlineMs: number): Promise<{ unsent: number }>;
}
