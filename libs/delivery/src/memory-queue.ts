import type { FalcoEvent } from '@falconer/contracts';
import { OverloadedError } from './dispatcher';
import type { DeliveryQueue, QueueBackend, QueueEntry } from './queue';

/** Bounded FIFO of one output; entries handed out count against the bound until acknowledged. */
export class MemoryQueue implements DeliveryQueue {
  /** Entries before `head` were handed out; their slots are emptied so the array does not keep them. */
  private items: (QueueEntry | undefined)[] = [];
  private head = 0;
  private readonly out = new Map<string, QueueEntry>();
  private waiter: (() => void) | undefined;
  /** Entries the waiting reader wants before it is worth waking it (a batch filling up). */
  private need = 1;
  private seq = 0;

  constructor(
    readonly output: string,
    readonly bound: number,
    private readonly now: () => number = Date.now,
  ) {}

  get waiting(): number {
    return this.items.length - this.head;
  }

  get size(): number {
    return this.waiting + this.out.size;
  }

  hasRoom(n = 1): boolean {
    return this.size + n <= this.bound;
  }

  push(event: FalcoEvent): void {
    this.items.push({ id: String(++this.seq), event, enqueuedAt: this.now(), attempts: 0 });
    // waking a reader for each event of a filling batch would cost a timer and a read per event
    if (this.waiting >= this.need) this.interrupt();
  }

  async read(max: number, waitMs: number, min = 1): Promise<QueueEntry[]> {
    if (this.waiting < min && waitMs > 0) {
      this.need = Math.max(1, min);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, waitMs);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
    this.need = 1;
    const n = Math.min(max, this.waiting);
    const taken = this.items.slice(this.head, this.head + n) as QueueEntry[];
    this.items.fill(undefined, this.head, this.head + n);
    this.head += n;
    // compact now and then so the array does not grow for ever
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    for (const e of taken) this.out.set(e.id, e);
    return taken;
  }

  interrupt(): void {
    this.waiter?.();
  }

  ack(entries: readonly QueueEntry[]): Promise<void> {
    for (const e of entries) this.out.delete(e.id);
    return Promise.resolve();
  }

  depth(): Promise<number> {
    return Promise.resolve(this.size);
  }

  oldestEnqueuedAt(): Promise<number | undefined> {
    let oldest = this.waiting > 0 ? this.items[this.head]?.enqueuedAt : undefined;
    for (const e of this.out.values())
      if (oldest === undefined || e.enqueuedAt < oldest) oldest = e.enqueuedAt;
    return Promise.resolve(oldest);
  }
}

/** Embedded mode: one bounded in-memory queue per output; nothing survives a restart. */
export class MemoryQueueBackend implements QueueBackend {
  readonly kind = 'memory';
  private readonly queues = new Map<string, MemoryQueue>();

  constructor(
    bounds: ReadonlyMap<string, number>,
    private readonly retryAfterSeconds = 5,
    now: () => number = Date.now,
  ) {
    for (const [name, bound] of bounds) this.queues.set(name, new MemoryQueue(name, bound, now));
  }

  queue(output: string): MemoryQueue {
    const q = this.queues.get(output);
    if (q === undefined) throw new Error(`no queue for output ${output}`);
    return q;
  }

  push(event: FalcoEvent, outputs: readonly string[]): Promise<void> {
    // all or none: check every bound before appending anywhere
    for (const name of outputs) {
      if (!this.queue(name).hasRoom())
        return Promise.reject(new OverloadedError(name, this.retryAfterSeconds));
    }
    for (const name of outputs) this.queue(name).push(event);
    return Promise.resolve();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  holding(): void {
    // memory entries cannot be taken by anyone else
  }

  close(): Promise<void> {
    for (const q of this.queues.values()) q.interrupt();
    return Promise.resolve();
  }
}
