import type { BatchPolicy } from '@falconer/outputs-core';
import { serializeEvent } from '@falconer/falco';
import type { DeliveryQueue, QueueEntry } from './queue';

/** A worker waits at most this long for new entries before looking at its state again. */
export const IDLE_WAIT_MS = 1_000;

/**
 * The entries one worker holds (read from its queue and not yet acknowledged) and the batches it makes
 * of them: due retries first, then new entries, within the batch policy's count and bytes, waiting up
 * to `flushIntervalMs` to fill a batch. Holds at most `maxHeld` entries, which bounds memory with Redis.
 */
export class BatchCollector {
  /** Entries read and not yet acknowledged, by id. */
  private readonly held = new Map<string, QueueEntry>();
  /** Retries that are due (and entries that did not fit the last batch), sent before new entries. */
  private ready: QueueEntry[] = [];
  readonly maxHeld: number;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly batch: BatchPolicy,
    maxHeld: number,
  ) {
    this.maxHeld = Math.max(maxHeld, batch.maxEvents);
  }

  /** Ids of the held entries (Redis keeps them claimed by this process). */
  heldIds(): Iterable<string> {
    return this.held.keys();
  }

  get heldCount(): number {
    return this.held.size;
  }

  get readyCount(): number {
    return this.ready.length;
  }

  /** Holding as many as allowed, all waiting out their backoff: nothing to read or send now. */
  get full(): boolean {
    return this.ready.length === 0 && this.held.size >= this.maxHeld;
  }

  /** Entries due for another attempt. */
  due(entries: readonly QueueEntry[]): void {
    this.ready.push(...entries);
  }

  /** Entries acknowledged (delivered or dead-lettered): no longer held. */
  release(entries: readonly QueueEntry[]): void {
    for (const e of entries) this.held.delete(e.id);
  }

  private sizeOf(e: QueueEntry): number {
    if (e.size === undefined) e.size = serializeEvent(e.event).length;
    return e.size;
  }

  /** The next batch; `running` says whether to keep waiting for entries (false once stopping). */
  async collect(running: () => boolean): Promise<QueueEntry[]> {
    const max = this.batch.maxEvents;
    const batch = this.ready.splice(0, max);
    let bytes = 0;
    let taken = 0;
    const fits = (e: QueueEntry): boolean => {
      if (this.batch.maxBytes === undefined) return true;
      const size = this.sizeOf(e) + 1;
      if (taken > 0 && bytes + size > this.batch.maxBytes) return false;
      bytes += size;
      taken++;
      return true;
    };
    if (this.batch.maxBytes !== undefined) {
      const kept: QueueEntry[] = [];
      for (const e of batch.splice(0)) (fits(e) ? kept : this.ready).push(e);
      batch.push(...kept);
    }
    let deadline: number | undefined;
    while (batch.length < max && this.held.size < this.maxHeld) {
      const wait = batch.length === 0 ? IDLE_WAIT_MS : deadline === undefined ? 0 : deadline - Date.now();
      const room = Math.min(max - batch.length, this.maxHeld - this.held.size);
      // filling a batch: no need to hear of each new entry, only of a full batch or the deadline
      const got = await this.queue.read(room, Math.max(0, wait), batch.length === 0 ? 1 : room);
      for (const e of got) {
        this.held.set(e.id, e);
        if (fits(e)) batch.push(e);
        else this.ready.push(e);
      }
      if (!running() || this.ready.length > 0) break;
      if (batch.length === 0) {
        // nothing came: let the loop look at its state (stop, breaker, due retries) again
        if (got.length === 0) break;
        continue;
      }
      if (deadline === undefined) {
        if (this.batch.flushIntervalMs <= 0) break;
        deadline = Date.now() + this.batch.flushIntervalMs;
      }
      if (Date.now() >= deadline) break;
    }
    return batch;
  }
}
