import type {
  DeliveryStatus,
  EventDetail,
  EventQuery,
  FalcoEvent,
  HistogramResponse,
  RemediationRecord,
} from '@falconer/contracts';
import type { EventStore, GroupBy, SearchOptions } from '../event-store';
import { eventTimeMs, groupValues, matchesQuery, normalizeQuery, ttlCutoff } from '../event-query';

interface Entry {
  event: FalcoEvent;
  timeMs: number;
  /** When it was recorded: retention (the ring and the TTL) counts from here, like falcosidekick-ui. */
  receivedMs: number;
  // created on first use: most events never get either, and every retained object costs GC time
  // one per output: a short array (most events go to one or two outputs) holds fewer objects than a Map
  deliveries?: DeliveryStatus[];
  remediations?: RemediationRecord[];
}

/** A synchronous computation as a promise: a thrown QueryError becomes a rejection, as callers expect. */
function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * Bounded in-memory history (embedded mode): a ring of the `maxEvents` received last, each kept `ttlMs` after
 * it was received (<= 0: no TTL) whatever its own time.
 */
export class MemoryEventStore implements EventStore {
  private readonly ring: (Entry | undefined)[];
  private head = 0;
  private size = 0;
  private readonly byUuid = new Map<string, Entry>();

  constructor(
    private readonly maxEvents: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(maxEvents) || maxEvents < 1)
      throw new Error(`store.maxevents must be a positive integer, got ${maxEvents}`);
    this.ring = new Array<Entry | undefined>(maxEvents);
  }

  record(event: FalcoEvent): Promise<void> {
    const old = this.ring[this.head];
    if (old !== undefined && this.byUuid.get(old.event.uuid) === old) this.byUuid.delete(old.event.uuid);
    const entry: Entry = { event, timeMs: eventTimeMs(event), receivedMs: this.now() };
    this.ring[this.head] = entry;
    this.byUuid.set(event.uuid, entry);
    this.head = (this.head + 1) % this.maxEvents;
    if (this.size < this.maxEvents) this.size++;
    return Promise.resolve();
  }

  /** Live entries, newest received first. */
  private *entries(): Generator<Entry> {
    const cutoff = ttlCutoff(this.now(), this.ttlMs);
    for (let i = 1; i <= this.size; i++) {
      const e = this.ring[(this.head - i + this.maxEvents) % this.maxEvents];
      if (e !== undefined && e.receivedMs >= cutoff) yield e;
    }
  }

  private matching(query: EventQuery): Entry[] {
    const q = normalizeQuery(query, this.now());
    const out: Entry[] = [];
    for (const e of this.entries()) if (matchesQuery(q, e.event)) out.push(e);
    // newest first by the event's own time
    return out.sort((a, b) => b.timeMs - a.timeMs);
  }

  search(query: EventQuery, options: SearchOptions): Promise<{ total: number; results: FalcoEvent[] }> {
    return attempt(() => {
      const all = this.matching(query);
      const start = (options.page - 1) * options.limit;
      return { total: all.length, results: all.slice(start, start + options.limit).map((e) => e.event) };
    });
  }

  count(query: EventQuery): Promise<number> {
    return attempt(() => this.matching(query).length);
  }

  countBy(groupBy: GroupBy, query: EventQuery): Promise<Record<string, number>> {
    return attempt(() => {
      const out: Record<string, number> = {};
      for (const { event } of this.matching(query)) {
        for (const k of groupValues(event, groupBy)) out[k] = (out[k] ?? 0) + 1;
      }
      return out;
    });
  }

  histogram(query: EventQuery, intervalMs: number): Promise<HistogramResponse> {
    return attempt(() => this.histogramNow(query, intervalMs));
  }

  private histogramNow(query: EventQuery, intervalMs: number): HistogramResponse {
    const buckets = new Map<number, Record<string, number>>();
    for (const { event, timeMs } of this.matching(query)) {
      const start = Math.floor(timeMs / intervalMs) * intervalMs;
      const counts = buckets.get(start) ?? {};
      counts[event.priority] = (counts[event.priority] ?? 0) + 1;
      buckets.set(start, counts);
    }
    return {
      interval: `${intervalMs / 1000}s`,
      buckets: [...buckets.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([t, counts]) => ({ time: new Date(t).toISOString(), counts })),
    };
  }

  private live(uuid: string): Entry | undefined {
    const e = this.byUuid.get(uuid);
    return e !== undefined && e.receivedMs >= ttlCutoff(this.now(), this.ttlMs) ? e : undefined;
  }

  get(uuid: string): Promise<EventDetail | undefined> {
    const e = this.live(uuid);
    return Promise.resolve(
      e === undefined
        ? undefined
        : {
            event: e.event,
            deliveries: [...(e.deliveries ?? [])],
            remediations: [...(e.remediations ?? [])],
          },
    );
  }

  setDelivery(uuid: string, status: DeliveryStatus): Promise<boolean> {
    const e = this.live(uuid);
    if (e !== undefined) {
      const list = (e.deliveries ??= []);
      const i = list.findIndex((d) => d.output === status.output);
      if (i < 0) list.push(status);
      else list[i] = status;
    }
    return Promise.resolve(e !== undefined);
  }

  addRemediation(record: RemediationRecord): Promise<boolean> {
    const e = this.live(record.uuid);
    if (e !== undefined) (e.remediations ??= []).push(record);
    return Promise.resolve(e !== undefined);
  }

  async *export(query: EventQuery): AsyncIterable<FalcoEvent> {
    const all = await attempt(() => this.matching(query));
    for (const e of all) yield e.event;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
