import type { QueryClient } from '@tanstack/react-query';
import type { Socket } from 'socket.io-client';
import {
  attemptOf,
  type ClientToServerEvents,
  type DeliveryStatus,
  type EventDetail,
  type EventQuery,
  type RemediationRecord,
  type SearchResponse,
  type ServerToClientEvents,
  type StatsMessage,
  type TriageChange,
  type TriageMark,
} from '@falconer/contracts';
import { apiRequest } from '../api/client';
import { normalizeEvent, parseEvent } from '../api/events';
import { queryToParams } from '../api/query';
import { FeedStore } from './feed-store';
import { keys, type FeedSnapshot, type LiveRate, type LiveStatus, type TriageSnapshot } from './keys';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectorOptions {
  capacity?: number;
  /** How often arrived events are parsed and published to the cache (ms). */
  flushMs?: number;
  /** How often pages with server aggregates (overview) are refreshed while events arrive (ms). */
  refreshMs?: number;
  /** Events loaded from history when the feed (re)starts. */
  historyLimit?: number;
}

/**
 * The one socket subscription of the page. It feeds TanStack Query's cache: the live feed, connection
 * status, stats, and delivery/remediation updates into cached event details. Events are batched: text is
 * queued as it arrives and parsed once per flush, so 1 000 events/s cost ~10 renders/s, not 1 000.
 */
export class LiveConnector {
  readonly store: FeedStore;
  private query: EventQuery = {};
  private pending: string[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  private dirty = false;
  private version = 0;
  private dropped = 0;
  /** While history loads, live events wait here so they land after it (newest last). */
  private priming = false;
  private generation = 0;
  /** [time, events] per flush over the last few seconds, for the rate. */
  private readonly arrivals: [number, number][] = [];
  private sinceRate = 0;
  private lastRate = 0;
  private received = 0;
  private readonly flushMs: number;
  private readonly refreshMs: number;
  private readonly historyLimit: number;
  /** Triage states of events in the feed that are not `new` (history, live changes). */
  private readonly triage = new Map<string, TriageMark>();
  private triageVersion = 0;

  constructor(
    private readonly socket: LiveSocket,
    private readonly client: QueryClient,
    options: ConnectorOptions = {},
  ) {
    this.store = new FeedStore(options.capacity ?? 50_000);
    this.flushMs = options.flushMs ?? 100;
    this.refreshMs = options.refreshMs ?? 3_000;
    this.historyLimit = options.historyLimit ?? 200;
    this.publish();
    this.setStatus('connecting');
    this.client.setQueryData<LiveRate>(keys.rate, { perSecond: 0, received: 0 });
  }

  start(): void {
    const s = this.socket;
    s.on('connect', () => {
      this.setStatus('live');
      this.subscribe();
    });
    s.on('disconnect', () => this.setStatus('disconnected'));
    s.on('connect_error', () => this.setStatus('error'));
    s.on('event', (text) => this.onEvent(text));
    s.on('stats', (stats) => this.client.setQueryData<StatsMessage>(keys.stats, stats));
    s.on('delivery', ({ uuid, status }) => this.onDelivery(uuid, status));
    s.on('remediation', (record) => this.onRemediation(record));
    s.on('lagging', ({ dropped }) => this.onLagging(dropped));
    s.on('triage', (change) => this.applyTriage(change));
    this.refreshTimer = setInterval(() => this.refreshAggregates(), this.refreshMs);
    if (s.connected) {
      this.setStatus('live');
      this.subscribe();
    } else {
      s.connect();
    }
  }

  stop(): void {
    clearInterval(this.refreshTimer);
    clearTimeout(this.flushTimer);
    this.socket.off();
    this.socket.disconnect();
  }

  get currentQuery(): EventQuery {
    return this.query;
  }

  /** Changes what the live feed follows: one subscription, re-sent; the feed restarts from history. */
  setQuery(query: EventQuery): void {
    this.query = query;
    this.store.clear();
    this.triage.clear();
    this.pending = [];
    this.dropped = 0;
    this.publish();
    if (this.socket.connected) this.subscribe();
  }

  private subscribe(): void {
    const generation = ++this.generation;
    this.priming = true;
    this.socket.emit('subscribe', this.query, (ack) => {
      if (!ack.ok) this.setStatus('error');
    });
    void this.loadHistory(this.historyLimit).finally(() => {
      if (generation !== this.generation) return;
      this.priming = false;
      this.scheduleFlush();
    });
  }

  /** Newest events from the history API, added oldest first so the feed stays newest-on-top. */
  private async loadHistory(limit: number): Promise<void> {
    const generation = this.generation;
    try {
      const res = await apiRequest<SearchResponse>('/events/search', {
        params: { ...queryToParams(this.query), limit, page: 1 },
      });
      if (generation !== this.generation) return;
      const events = res.results.map(normalizeEvent).reverse();
      let added = 0;
      for (const e of events) if (this.store.add(e)) added++;
      let marked = 0;
      for (const raw of res.results as { uuid: string; triage?: TriageMark }[]) {
        if (raw.triage === undefined) continue;
        this.triage.set(raw.uuid, raw.triage);
        marked++;
      }
      if (marked > 0) this.publishTriage();
      if (added > 0) this.publish();
    } catch {
      // history is a convenience for a fresh page; the live stream still works without it
    }
  }

  private onEvent(text: string): void {
    this.pending.push(text);
    this.sinceRate++;
    this.received++;
    this.dirty = true;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.priming) return;
    // at high rates nobody reads single rows: publish a few times a second, the render cost is per
    // publish (one screen of rows), not per event
    const delay = this.lastRate > 100 ? this.flushMs * 2.5 : this.flushMs;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, delay);
  }

  /** Parses queued events into the store and publishes one new snapshot. */
  flush(): void {
    if (this.priming) return;
    const batch = this.pending;
    this.pending = [];
    let added = 0;
    for (const text of batch) {
      try {
        if (this.store.add(parseEvent(text))) added++;
      } catch {
        // a malformed push is ignored; the server validated the event at ingest
      }
    }
    if (added > 0) this.publish();
    this.updateRate();
  }

  private updateRate(): void {
    const now = performance.now();
    const windowMs = 5_000;
    this.arrivals.push([now, this.sinceRate]);
    this.sinceRate = 0;
    while (this.arrivals.length > 0 && (this.arrivals[0]?.[0] ?? now) < now - windowMs) this.arrivals.shift();
    let events = 0;
    for (const [, n] of this.arrivals) events += n;
    const first = this.arrivals[0]?.[0] ?? now;
    const span = Math.min(windowMs, Math.max(1_000, now - first + this.flushMs));
    this.lastRate = Math.round((events * 1000) / span);
    this.client.setQueryData<LiveRate>(keys.rate, { perSecond: this.lastRate, received: this.received });
  }

  private publish(): void {
    this.version++;
    this.client.setQueryData<FeedSnapshot>(keys.feed, {
      store: this.store,
      version: this.version,
      dropped: this.dropped,
    });
  }

  private setStatus(status: LiveStatus): void {
    this.client.setQueryData<LiveStatus>(keys.status, status);
  }

  private onDelivery(uuid: string, status: DeliveryStatus): void {
    this.client.setQueryData<EventDetail>(keys.event(uuid), (old) => {
      if (old === undefined) return old;
      const others = old.deliveries.filter((d) => d.output !== status.output);
      return { ...old, deliveries: [...others, status], attempts: [...old.attempts, attemptOf(status)] };
    });
  }

  private onRemediation(record: RemediationRecord): void {
    this.client.setQueryData<EventDetail>(keys.event(record.uuid), (old) =>
      old === undefined ? old : { ...old, remediations: [...old.remediations, record] },
    );
  }

  /**
   * Events changed triage state (pushed by the router, or this page's own action): the feed's marks,
   * cached event details and explorer searches follow.
   */
  applyTriage(change: TriageChange): void {
    for (const uuid of change.uuids) {
      if (this.store.has(uuid)) {
        if (change.triage.state === 'new') this.triage.delete(uuid);
        else this.triage.set(uuid, change.triage);
      }
      this.client.setQueryData<EventDetail>(keys.event(uuid), (old) =>
        old === undefined || sameMark(old.triage, change.triage)
          ? old
          : { ...old, triage: change.triage, triageHistory: [...old.triageHistory, change.triage] },
      );
    }
    // marks of events the feed no longer holds go (the feed is bounded, so is this)
    if (this.triage.size > this.store.capacity)
      for (const uuid of [...this.triage.keys()]) if (!this.store.has(uuid)) this.triage.delete(uuid);
    this.publishTriage();
    void this.client.invalidateQueries({ queryKey: ['events', 'search'] });
  }

  private publishTriage(): void {
    this.client.setQueryData<TriageSnapshot>(keys.triage, {
      marks: this.triage,
      version: ++this.triageVersion,
    });
  }

  /** The server dropped events for this page: fetch them from history so the feed has no hole. */
  private onLagging(dropped: number): void {
    this.dropped += dropped;
    this.flush();
    void this.loadHistory(Math.min(1000, dropped + 100)).then(() => this.publish());
  }

  /** Aggregates (overview charts, counters) are refetched at most every `refreshMs` while events arrive. */
  private refreshAggregates(): void {
    if (!this.dirty) {
      this.updateRate();
      return;
    }
    this.dirty = false;
    void this.client.invalidateQueries({ queryKey: keys.overview });
  }
}

function sameMark(a: TriageMark | undefined, b: TriageMark): boolean {
  return a !== undefined && a.state === b.state && a.at === b.at && a.by === b.by;
}
