import type { FalcoEvent } from '@falconer/contracts';

/**
 * The live feed's memory: a ring of the newest `capacity` events addressed by arrival sequence number.
 * A view is "everything that had arrived at sequence `anchor`", newest first, so a paused or scrolled
 * list keeps its rows still while new events keep arriving (they are counted, not shown).
 */
export class FeedStore {
  private readonly ring: (FalcoEvent | undefined)[];
  private readonly seqByUuid = new Map<string, number>();
  /** Events ever added (the next sequence number). */
  private seq = 0;

  constructor(readonly capacity = 50_000) {
    this.ring = new Array<FalcoEvent | undefined>(capacity);
  }

  get total(): number {
    return this.seq;
  }

  /** Sequence number of the oldest event still held. */
  get oldest(): number {
    return Math.max(0, this.seq - this.capacity);
  }

  has(uuid: string): boolean {
    return this.seqByUuid.has(uuid);
  }

  /** Adds an event as the newest; false when it is already held (history and live overlap). */
  add(event: FalcoEvent): boolean {
    if (this.seqByUuid.has(event.uuid)) return false;
    const slot = this.seq % this.capacity;
    const evicted = this.ring[slot];
    if (evicted !== undefined) this.seqByUuid.delete(evicted.uuid);
    this.ring[slot] = event;
    this.seqByUuid.set(event.uuid, this.seq);
    this.seq++;
    return true;
  }

  /** Rows visible in the view anchored at `anchor` (events that had arrived by then and are still held). */
  viewLength(anchor: number): number {
    return Math.max(0, Math.min(anchor, this.seq) - this.oldest);
  }

  /** Row `index` (0 = newest) of the view anchored at `anchor`. */
  at(anchor: number, index: number): FalcoEvent | undefined {
    const s = Math.min(anchor, this.seq) - 1 - index;
    if (s < this.oldest || s < 0) return undefined;
    return this.ring[s % this.capacity];
  }

  /** Newest first, up to `limit` events (small views such as the overview's latest list). */
  newest(limit: number): FalcoEvent[] {
    const out: FalcoEvent[] = [];
    for (let i = 0; i < limit; i++) {
      const e = this.at(this.seq, i);
      if (e === undefined) break;
      out.push(e);
    }
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.seqByUuid.clear();
    this.seq = 0;
  }
}
