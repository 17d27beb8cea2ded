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
import { SlotIndex } from './slot-index';

/** What an event gains after it is recorded, created on first use: most events get none of it. */
interface Extra {
  // one per output: a short array (most events go to one or two outputs) holds fewer objects than a Map
  deliveries?: DeliveryStatus[];
  remediations?: RemediationRecord[];
  /** Triage changes, oldest first; the last one is the current state. */
  triage?: TriageMark[];
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

/** Characters V8 cannot keep in a one-byte (Latin-1) string: such a string takes two bytes a character. */
const TWO_BYTE = /[\u0100-\uffff]/;

/** Heap bytes of a string of more than a few characters: header plus one or two bytes a character. */
function stringBytes(s: string): number {
  return 16 + (s.length > 16 && TWO_BYTE.test(s) ? 2 : 1) * s.length;
}

/**
 * What an event holds in memory, roughly and on the high side (measured with heap snapshots, ADR 0004):
 * its objects, its long strings at one byte a character (two when V8 must keep them as two-byte
 * strings), and every field's value as if it were not shared with other events (most short ones are).
 * Counted at two bytes a character whatever the text, 100 000 ~1 KB events needed ~290 MB by this
 * measure and the default `store.maxbytes` (256 MiB) kept only ~91 000 of the default 100 000.
 */
function approxBytes(event: FalcoEvent): number {
  let n = 320 + stringBytes(event.output) + stringBytes(event.rule) + stringBytes(event.hostname);
  n += stringBytes(event.source) + 8 * event.tags.length;
  for (const t of event.tags) if (t.length > 16) n += stringBytes(t);
  const fields = event.output_fields;
  for (const k in fields) {
    const v = fields[k];
    n += 24 + (typeof v === 'string' ? stringBytes(v) : Array.isArray(v) ? 16 + 24 * v.length : 16);
  }
  return n;
}

/**
 * Bounded in-memory history (embedded mode): a ring of the `maxEvents` received last, at most `maxBytes`
 * of events (first received evicted first: ~2 500 events of 1 MB crashed the router before), each kept
 * `ttlMs` after it was received (<= 0: no TTL) whatever its own time.
 *
 * The ring is a set of columns indexed by slot, not an object per event: the event, its time and when it
 * was received (raw doubles: as fields of an object each would be boxed in a heap number of its own), its
 * approximate size, and its deliveries and remediations. The store adds ~40 bytes to each event it holds
 * (ADR 0004).
 */
export class MemoryEventStore implements EventStore {
  private readonly events: (FalcoEvent | undefined)[];
  private readonly timeMs: Float64Array;
  /** When each was recorded: retention (the ring and the TTL) counts from here, like falcosidekick-ui. */
  private readonly receivedMs: Float64Array;
  /** approxBytes of each, for `store.maxbytes`. */
  private readonly sizes: Uint32Array;
  private readonly extras: (Extra | undefined)[];
  /** Every event gets one (ingest's routing decision): a column of its own, not an Extra per event. */
  private readonly routings: (RoutingRecord | undefined)[];
  private head = 0;
  private size = 0;
  private bytes = 0;
  private readonly byUuid: SlotIndex;

  constructor(
    private readonly maxEvents: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxBytes = Infinity,
  ) {
    if (!Number.isInteger(maxEvents) || maxEvents < 1)
      throw new Error(`store.maxevents must be a positive integer, got ${maxEvents}`);
    this.events = new Array<FalcoEvent | undefined>(maxEvents);
    this.extras = new Array<Extra | undefined>(maxEvents);
    this.routings = new Array<RoutingRecord | undefined>(maxEvents);
    this.timeMs = new Float64Array(maxEvents);
    this.receivedMs = new Float64Array(maxEvents);
    this.sizes = new Uint32Array(maxEvents);
    this.byUuid = new SlotIndex(maxEvents, (i) => this.events[i]?.uuid);
  }

  record(event: FalcoEvent): Promise<void> {
    if (this.live(event.uuid) !== undefined) return Promise.reject(new DuplicateEventError(event.uuid));
    const size = Math.min(approxBytes(event), 0xffffffff);
    // oldest first: make room in bytes (keeping at least the new event) and in count
    while (this.size > 0 && (this.bytes + size > this.maxBytes || this.size === this.maxEvents))
      this.evictOldest();
    const i = this.head;
    this.bytes += size;
    this.events[i] = event;
    this.timeMs[i] = eventTimeMs(event);
    this.receivedMs[i] = this.now();
    this.sizes[i] = size;
    this.byUuid.set(event.uuid, i);
    this.head = (i + 1) % this.maxEvents;
    this.size++;
    return Promise.resolve();
  }

  private evictOldest(): void {
    const i = (this.head - this.size + this.maxEvents) % this.maxEvents;
    const old = this.events[i];
    // out of the index first: it reads the uuids of the events in their slots
    if (old !== undefined) this.byUuid.delete(old.uuid, i);
    this.events[i] = undefined;
    this.extras[i] = undefined;
    this.routings[i] = undefined;
    this.size--;
    if (old === undefined) return;
    this.bytes -= this.sizes[i] ?? 0;
  }

  /** What an event holds beyond its JSON (timeline, triage) counts against `maxBytes` too. */
  private grow(i: number, bytes: number): void {
    this.sizes[i] = (this.sizes[i] ?? 0) + bytes;
    this.bytes += bytes;
  }

  /** Slots of the live events, newest received first. */
  private *slots(): Generator<number> {
    const cutoff = ttlCutoff(this.now(), this.ttlMs);
    for (let n = 1; n <= this.size; n++) {
      const i = (this.head - n + this.maxEvents) % this.maxEvents;
      if (this.events[i] !== undefined && (this.receivedMs[i] ?? 0) >= cutoff) yield i;
    }
  }

  /** Slots of the live events that match, newest first by the event's own time (read them before any await). */
  private matching(query: EventQuery): number[] {
    const q = normalizeQuery(query, this.now());
    const out: number[] = [];
    for (const i of this.slots()) {
      if (matchesQuery(q, this.events[i] as FalcoEvent, undefined, this.extras[i]?.triage?.at(-1)?.state))
        out.push(i);
    }
    const t = this.timeMs;
    return out.sort((a, b) => (t[b] ?? 0) - (t[a] ?? 0));
  }

  private matchingEvents(query: EventQuery): FalcoEvent[] {
    return this.matching(query).map((i) => this.events[i] as FalcoEvent);
  }

  search(query: EventQuery, options: SearchOptions): Promise<{ total: number; results: FalcoEvent[] }> {
    return attempt(() => {
      const all = this.matching(query);
      const start = (options.page - 1) * options.limit;
      const page = all.slice(start, start + options.limit).map((i) => this.events[i] as FalcoEvent);
      return { total: all.length, results: page };
    });
  }

  count(query: EventQuery): Promise<number> {
    return attempt(() => this.matching(query).length);
  }

  countBy(groupBy: GroupBy, query: EventQuery): Promise<Record<string, number>> {
    return attempt(() => {
      const out: Record<string, number> = {};
      for (const event of this.matchingEvents(query)) {
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
    for (const i of this.matching(query)) {
      const event = this.events[i] as FalcoEvent;
      const start = Math.floor((this.timeMs[i] ?? 0) / intervalMs) * intervalMs;
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

  /** The slot of a live event with this uuid. */
  private live(uuid: string): number | undefined {
    const i = this.byUuid.get(uuid);
    if (i === undefined || this.events[i]?.uuid !== uuid) return undefined;
    return (this.receivedMs[i] ?? 0) >= ttlCutoff(this.now(), this.ttlMs) ? i : undefined;
  }

  get(uuid: string): Promise<EventDetail | undefined> {
    const i = this.live(uuid);
    if (i === undefined) return Promise.resolve(undefined);
    const extra = this.extras[i];
    const routing = this.routings[i];
    return Promise.resolve({
      event: this.events[i] as FalcoEvent,
      deliveries: [...(extra?.deliveries ?? [])],
      remediations: [...(extra?.remediations ?? [])],
      triage: extra?.triage?.at(-1) ?? { ...NEW_TRIAGE },
      triageHistory: [...(extra?.triage ?? [])],
      ...(routing !== undefined ? { routing } : {}),
      attempts: [...(extra?.attempts ?? [])],
    });
  }

  setDelivery(uuid: string, status: DeliveryStatus): Promise<boolean> {
    const i = this.live(uuid);
    if (i === undefined) return Promise.resolve(false);
    const extra = (this.extras[i] ??= {});
    const list = (extra.deliveries ??= []);
    const at = list.findIndex((d) => d.output === status.output);
    if (at < 0) list.push(status);
    else list[at] = status;
    const attempts = (extra.attempts ??= []);
    attempts.push(attemptOf(status));
    this.grow(i, ATTEMPT_BYTES);
    // at most DELIVERY_ATTEMPTS_MAX per output: drop this output's oldest
    if (attempts.filter((a) => a.output === status.output).length > DELIVERY_ATTEMPTS_MAX) {
      attempts.splice(
        attempts.findIndex((a) => a.output === status.output),
        1,
      );
      this.grow(i, -ATTEMPT_BYTES);
    }
    return Promise.resolve(true);
  }

  setTriage(uuid: string, mark: TriageMark): Promise<TriageOutcome> {
    const i = this.live(uuid);
    if (i === undefined) return Promise.resolve('missing');
    const extra = (this.extras[i] ??= {});
    if ((extra.triage?.at(-1)?.state ?? 'new') === mark.state) return Promise.resolve('unchanged');
    const list = (extra.triage ??= []);
    list.push(mark);
    this.grow(i, MARK_BYTES);
    if (list.length > TRIAGE_HISTORY_MAX) {
      this.grow(i, -MARK_BYTES * (list.length - TRIAGE_HISTORY_MAX));
      list.splice(0, list.length - TRIAGE_HISTORY_MAX);
    }
    return Promise.resolve('changed');
  }

  triageOf(uuids: readonly string[]): Promise<Map<string, TriageMark>> {
    const out = new Map<string, TriageMark>();
    for (const uuid of uuids) {
      const i = this.live(uuid);
      const mark = i === undefined ? undefined : this.extras[i]?.triage?.at(-1);
      if (mark !== undefined && mark.state !== 'new') out.set(uuid, mark);
    }
    return Promise.resolve(out);
  }

  setRouting(uuid: string, routing: RoutingRecord): Promise<boolean> {
    const i = this.live(uuid);
    if (i === undefined) return Promise.resolve(false);
    // routing records of one configuration share their arrays (ingest reuses them): count the object only
    if (this.routings[i] === undefined) this.grow(i, ROUTING_BYTES);
    this.routings[i] = routing;
    return Promise.resolve(true);
  }

  addRemediation(record: RemediationRecord): Promise<boolean> {
    const i = this.live(record.uuid);
    if (i === undefined) return Promise.resolve(false);
    ((this.extras[i] ??= {}).remediations ??= []).push(record);
    return Promise.resolve(true);
  }

  async *export(query: EventQuery): AsyncIterable<FalcoEvent> {
    // the events, not their slots: recording while the export is read reuses slots
    const all = await attempt(() => this.matchingEvents(query));
    yield* all;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
