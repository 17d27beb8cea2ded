import {
  DELIVERY_ATTEMPTS_MAX,
  attemptOf,
  TRIAGE_HISTORY_MAX,
  type DeliveryAttempt,
  type DeliveryStatus,
  type EventDetail,
  type EventQuery,
  type FalcoEvent,
  type HistogramResponse,
  type RemediationRecord,
  type RoutingRecord,
  type TriageMark,
} from '@falconer/contracts';
import {
  DuplicateEventError,
  type EventStore,
  type GroupBy,
  type SearchOptions,
  type TriageOutcome,
} from '../event-store';
import { NEW_TRIAGE } from '../timeline';
import { eventTimeMs, groupValues, matchesQuery, normalizeQuery, ttlCutoff } from '../event-query';

interface Entry {
  event: FalcoEvent;
  timeMs: number;
  /** When it was recorded: retention (the ring and the TTL) counts from here, like falcosidekick-ui. */
  receivedMs: number;
  /** Approximate memory held (approxBytes), for `store.maxbytes`. */
  bytes: number;
  // created on first use: most events never get either, and every retained object costs GC time
  // one per output: a short array (most events go to one or two outputs) holds fewer objects than a Map
  deliveries?: DeliveryStatus[];
  remediations?: RemediationRecord[];
  /** Triage changes, oldest first; the last one is the current state. */
  triage?: TriageMark[];
  routing?: RoutingRecord;
  attempts?: DeliveryAttempt[];
}

/** Rough sizes of what an event gains after it is recorded (objects, short strings). */
const ATTEMPT_BYTES = 200;
const MARK_BYTES = 150;
const ROUTING_BYTES = 120;

/** A synchronous computation as a promise: a thrown QueryError becomes a rejection, as callers expect. */
function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/** What an event holds in memory, roughly: its strings at two bytes a character plus per-object overhead. */
function approxBytes(event: FalcoEvent): number {
  let n = 400 + 2 * (event.output.length + event.rule.length + event.hostname.length + event.source.length);
  for (const t of event.tags) n += 40 + 2 * t.length;
  for (const [k, v] of Object.entries(event.output_fields))
    n += 48 + 2 * k.length + (typeof v === 'string' ? 2 * v.length : Array.isArray(v) ? 32 * v.length : 16);
  return n;
}

/**
 * Bounded in-memory history (embedded mode): a ring of the `maxEvents` received last, at most `maxBytes`
 * of events (first received evicted first: ~2 500 events of 1 MB crashed the router before), each kept
 * `ttlMs` after it was received (<= 0: no TTL) whatever its own time.
 */
export class MemoryEventStore implements EventStore {
  private readonly ring: (Entry | undefined)[];
  private head = 0;
  private size = 0;
  private bytes = 0;
  private readonly byUuid = new Map<string, Entry>();

  constructor(
    private readonly maxEvents: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxBytes = Infinity,
  ) {
    if (!Number.isInteger(maxEvents) || maxEvents < 1)
      throw new Error(`store.maxevents must be a positive integer, got ${maxEvents}`);
    this.ring = new Array<Entry | undefined>(maxEvents);
  }

  record(event: FalcoEvent): Promise<void> {
    if (this.live(event.uuid) !== undefined) return Promise.reject(new DuplicateEventError(event.uuid));
    const entry: Entry = {
      event,
      timeMs: eventTimeMs(event),
      receivedMs: this.now(),
      bytes: approxBytes(event),
    };
    // oldest first: make room in bytes (keeping at least the new event) and in count
    while (this.size > 0 && (this.bytes + entry.bytes > this.maxBytes || this.size === this.maxEvents))
      this.evictOldest();
    this.bytes += entry.bytes;
    this.ring[this.head] = entry;
    this.byUuid.set(event.uuid, entry);
    this.head = (this.head + 1) % this.maxEvents;
    if (this.size < this.maxEvents) this.size++;
    return Promise.resolve();
  }

  /** What an event holds beyond its JSON (timeline, triage) counts against `maxBytes` too. */
  private grow(e: Entry, bytes: number): void {
    e.bytes += bytes;
    this.bytes += bytes;
  }

  private evictOldest(): void {
    const i = (this.head - this.size + this.maxEvents) % this.maxEvents;
    const old = this.ring[i];
    this.ring[i] = undefined;
    this.size--;
    if (old === undefined) return;
    this.bytes -= old.bytes;
    if (this.byUuid.get(old.event.uuid) === old) this.byUuid.delete(old.event.uuid);
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
    for (const e of this.entries())
      if (matchesQuery(q, e.event, undefined, e.triage?.at(-1)?.state)) out.push(e);
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
            triage: e.triage?.at(-1) ?? { ...NEW_TRIAGE },
            triageHistory: [...(e.triage ?? [])],
            ...(e.routing !== undefined ? { routing: e.routing } : {}),
            attempts: [...(e.attempts ?? [])],
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
      const attempts = (e.attempts ??= []);
      attempts.push(attemptOf(status));
      this.grow(e, ATTEMPT_BYTES);
      // at most DELIVERY_ATTEMPTS_MAX per output: drop this output's oldest
      if (attempts.filter((a) => a.output === status.output).length > DELIVERY_ATTEMPTS_MAX) {
        attempts.splice(
          attempts.findIndex((a) => a.output === status.output),
          1,
        );
        this.grow(e, -ATTEMPT_BYTES);
      }
    }
    return Promise.resolve(e !== undefined);
  }

  setTriage(uuid: string, mark: TriageMark): Promise<TriageOutcome> {
    const e = this.live(uuid);
    if (e === undefined) return Promise.resolve('missing');
    if ((e.triage?.at(-1)?.state ?? 'new') === mark.state) return Promise.resolve('unchanged');
    const list = (e.triage ??= []);
    list.push(mark);
    this.grow(e, MARK_BYTES);
    if (list.length > TRIAGE_HISTORY_MAX) {
      this.grow(e, -MARK_BYTES * (list.length - TRIAGE_HISTORY_MAX));
      list.splice(0, list.length - TRIAGE_HISTORY_MAX);
    }
    return Promise.resolve('changed');
  }

  triageOf(uuids: readonly string[]): Promise<Map<string, TriageMark>> {
    const out = new Map<string, TriageMark>();
    for (const uuid of uuids) {
      const mark = this.live(uuid)?.triage?.at(-1);
      if (mark !== undefined && mark.state !== 'new') out.set(uuid, mark);
    }
    return Promise.resolve(out);
  }

  setRouting(uuid: string, routing: RoutingRecord): Promise<boolean> {
    const e = this.live(uuid);
    if (e !== undefined) {
      // routing records of one configuration share their arrays (ingest reuses them): count the object only
      if (e.routing === undefined) this.grow(e, ROUTING_BYTES);
      e.routing = routing;
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
