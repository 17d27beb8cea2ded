import type { FalcoEvent } from '@falconer/contracts';

/** One event waiting for (or being delivered to) one output. */
export interface QueueEntry {
  /** Backend id (Redis stream id, or a counter for memory). */
  readonly id: string;
  readonly event: FalcoEvent;
  /** When it was enqueued (ms since epoch), for the latency and oldest-age metrics. */
  readonly enqueuedAt: number;
  /** Send attempts so far in this process. */
  attempts: number;
  /** Serialized size when known (Redis keeps the text), for `maxBytes` batching. */
  size?: number;
}

/** The consumer side of one output's queue. Entries read stay owned by the reader until acknowledged. */
export interface DeliveryQueue {
  readonly output: string;
  /**
   * Up to `max` entries not yet handed out; waits up to `waitMs` while fewer than `min` (default 1) are
   * waiting — then returns what there is, possibly [] — or until `interrupt()`. A backend may return
   * fewer than `min` earlier (Redis returns as soon as any arrive).
   */
  read(max: number, waitMs: number, min?: number): Promise<QueueEntry[]>;
  /** Wakes a waiting `read` (memory), so retries that became due are sent without delay. */
  interrupt(): void;
  /** Delivered or dead-lettered: removes the entries for good. */
  ack(entries: readonly QueueEntry[]): Promise<void>;
  /** Entries not yet acknowledged: waiting plus handed out. */
  depth(): Promise<number>;
  /** Enqueue time of the oldest unacknowledged entry. */
  oldestEnqueuedAt(): Promise<number | undefined>;
}

/** All queues of one process, and the producer side: one event into several outputs' queues at once. */
export interface QueueBackend {
  readonly kind: 'memory' | 'redis';
  queue(output: string): DeliveryQueue;
  /**
   * Appends the event to the queue of each named output, all or none. Resolves once it is durable for
   * this backend; throws OverloadedError when a queue is past its bound.
   */
  push(event: FalcoEvent, outputs: readonly string[]): Promise<void>;
  start(): Promise<void>;
  /** Entries the worker still holds (Redis: keeps them claimed by this consumer). */
  holding(output: string, ids: () => Iterable<string>): void;
  close(): Promise<void>;
}
