import { createRedisClient, keyPrefix, type RedisClient } from '@falconer/redis';
import type {
  DeliveryStatus,
  EventDetail,
  EventQuery,
  FalcoEvent,
  HistogramResponse,
  RemediationRecord,
  RoutingRecord,
  TriageMark,
} from '@falconer/contracts';
import { decodeStoredEvent } from '@falconer/falco';
import type { EventStore, GroupBy, SearchOptions, TriageOutcome } from '../event-store';
import { RedisAggregates } from './redis-aggregates';
import { RedisKeys } from './redis-keys';
import { countKeys, planQuery, type Plan } from './redis-query-plan';
import { CHUNK, RedisScanner, type Item } from './redis-scan';
import { RedisScripts } from './redis-scripts';
import { RedisTriage } from './redis-triage';
import { RedisHistoryWriter } from './redis-writer';

export type { RedisClient };

export interface RedisStoreOptions {
  /** `redis://host:port[/db]` */
  url: string;
  /** Key prefix; several routers (replicas) share one history by using the same prefix. */
  prefix?: string;
  /** `url` lists seed nodes of a Redis Cluster; the prefix gets a hash tag (one slot, see @falconer/redis). */
  cluster?: boolean;
  maxEvents: number;
  /** <= 0: no TTL. */
  ttlMs: number;
  /** How often retention by TTL runs (count retention runs on every write that passes the bound). */
  trimIntervalMs?: number;
  now?: () => number;
  onError?: (err: Error) => void;
}

/**
 * History in Redis: one JSON string per event, sorted-set indexes by time per priority, rule, source,
 * hostname, tag and namespace, so filtered queries read only what matches (ADR 0004).
 */
export class RedisEventStore implements EventStore {
  readonly keys: RedisKeys;
  private readonly now: () => number;
  private readonly writer: RedisHistoryWriter;
  private readonly scanner: RedisScanner;
  private readonly aggregates: RedisAggregates;
  private readonly triage: RedisTriage;

  private constructor(
    readonly client: RedisClient,
    opts: RedisStoreOptions,
  ) {
    this.keys = new RedisKeys(opts.prefix ?? 'falconer:h:');
    this.now = opts.now ?? Date.now;
    const scripts = new RedisScripts(client);
    this.writer = new RedisHistoryWriter(client, this.keys, scripts, {
      maxEvents: opts.maxEvents,
      ttlMs: opts.ttlMs,
      now: this.now,
    });
    this.scanner = new RedisScanner(client, this.keys, scripts);
    this.aggregates = new RedisAggregates(client, this.keys, this.scanner);
    this.triage = new RedisTriage(client, this.keys, (text, o) => scripts.run(text, o));
  }

  /** Connects, applies retention once, and starts the periodic TTL trim. */
  static async connect(opts: RedisStoreOptions): Promise<RedisEventStore> {
    if (!Number.isInteger(opts.maxEvents) || opts.maxEvents < 1)
      throw new Error(`store.maxevents must be a positive integer, got ${opts.maxEvents}`);
    let ready = false;
    opts = { ...opts, prefix: keyPrefix(opts.prefix ?? 'falconer:h:', opts.cluster === true) };
    const client: RedisClient = createRedisClient({
      url: opts.url,
      clusterPrefix: opts.cluster === true ? opts.prefix : undefined,
      // fail fast while Redis is away: ingest answers 503 and healthz reports it, nothing piles up here
      disableOfflineQueue: true,
      socket: {
        // an unreachable Redis at start is a start-up error; later the client reconnects by itself
        reconnectStrategy: (retries: number, cause: Error) =>
          ready ? Math.min(100 * 2 ** retries, 2000) : cause,
      },
    });
    client.on('error', (err: Error) => {
      if (ready) opts.onError?.(err);
    });
    client.on('ready', () => {
      ready = true;
    });
    await client.connect();
    const store = new RedisEventStore(client, opts);
    await store.writer.loadScripts();
    // history written before retention counted from receipt has no receipt index: its events' own
    // times stand in for when they arrived (else they would never be trimmed)
    const rcv = store.keys.received();
    if ((await client.exists(rcv)) === 0 && (await client.exists(store.keys.all())) === 1)
      await client.zUnionStore(rcv, [store.keys.all()]);
    await store.trim();
    store.writer.trimEvery(opts.trimIntervalMs ?? 10_000, opts.onError);
    return store;
  }

  // ── writes (and retention): RedisHistoryWriter ───────────────────────────────────────────────

  record(event: FalcoEvent): Promise<void> {
    return this.writer.recordMany([event]);
  }

  recordMany(events: readonly FalcoEvent[]): Promise<void> {
    return this.writer.recordMany(events);
  }

  /** Applies retention now (count and TTL); concurrent calls share one run. */
  trim(): Promise<void> {
    return this.writer.trim();
  }

  setDelivery(uuid: string, status: DeliveryStatus): Promise<boolean> {
    return this.writer.setDelivery(uuid, status);
  }

  addRemediation(record: RemediationRecord): Promise<boolean> {
    return this.writer.addRemediation(record);
  }

  // ── triage and timeline (issue 18): RedisTriage ──────────────────────────────────────────────

  async setTriage(uuid: string, mark: TriageMark): Promise<TriageOutcome> {
    return (await this.writer.isLive(uuid)) ? this.triage.set(uuid, mark) : 'missing';
  }

  triageOf(uuids: readonly string[]): Promise<Map<string, TriageMark>> {
    return this.triage.current(uuids);
  }

  async setRouting(uuid: string, routing: RoutingRecord): Promise<boolean> {
    return (await this.writer.isLive(uuid)) && this.triage.setRouting(uuid, routing);
  }

  // ── reads: a plan (redis-query-plan.ts), run by RedisScanner and RedisAggregates ──────────────

  async get(uuid: string): Promise<EventDetail | undefined> {
    const k = this.keys;
    const [json, deliveries, remediations, t, timeline] = await Promise.all([
      this.client.get(k.event(uuid)),
      this.client.hGetAll(k.deliveries(uuid)),
      this.client.lRange(k.remediations(uuid), 0, -1),
      this.client.zScore(k.received(), uuid),
      this.triage.detail(uuid),
    ]);
    if (json === null || t === null || t < this.writer.cutoff()) return undefined;
    return {
      event: decodeStoredEvent(json),
      deliveries: Object.values(deliveries)
        .map((s) => JSON.parse(s) as DeliveryStatus)
        .sort((a, b) => a.output.localeCompare(b.output)),
      remediations: remediations.map((s) => JSON.parse(s) as RemediationRecord),
      ...timeline,
    };
  }

  /** Expired events removed, then the query's plan. */
  private async plan(query: EventQuery): Promise<Plan> {
    await this.writer.expire();
    return planQuery(query, this.now(), this.keys);
  }

  /** The number of matches when the indexes alone answer it. */
  private async quickCount(plan: Plan): Promise<number | undefined> {
    const keys = countKeys(plan, this.keys);
    return keys === undefined ? undefined : this.scanner.countIn(keys, plan);
  }

  async search(query: EventQuery, options: SearchOptions): Promise<{ total: number; results: FalcoEvent[] }> {
    const plan = await this.plan(query);
    const offset = (options.page - 1) * options.limit;
    const end = offset + options.limit;
    const quick = await this.quickCount(plan);
    const page: Item[] = [];
    let seen = 0;
    if (quick !== undefined) {
      if (offset >= quick) return { total: quick, results: [] };
      for await (const items of this.scanner.scan(plan, Math.min(Math.max(end, 16), CHUNK))) {
        for (const it of items) {
          if (seen >= offset && seen < end) page.push(it);
          seen++;
        }
        if (seen >= end) break;
      }
      return { total: quick, results: await this.scanner.events(page) };
    }
    for await (const items of this.scanner.scan(plan)) {
      for (const it of items) {
        if (seen >= offset && seen < end) page.push(it);
        seen++;
      }
    }
    return { total: seen, results: await this.scanner.events(page) };
  }

  async count(query: EventQuery): Promise<number> {
    const plan = await this.plan(query);
    const quick = await this.quickCount(plan);
    if (quick !== undefined) return quick;
    let n = 0;
    for await (const items of this.scanner.scan(plan)) n += items.length;
    return n;
  }

  async countBy(groupBy: GroupBy, query: EventQuery): Promise<Record<string, number>> {
    return this.aggregates.countBy(await this.plan(query), groupBy);
  }

  async histogram(query: EventQuery, intervalMs: number): Promise<HistogramResponse> {
    await this.writer.expire();
    if (!(intervalMs > 0)) throw new RangeError('interval must be positive');
    return this.aggregates.histogram(planQuery(query, this.now(), this.keys), intervalMs);
  }

  async *export(query: EventQuery): AsyncIterable<FalcoEvent> {
    const plan = await this.plan(query);
    for await (const items of this.scanner.scan(plan, 500)) {
      for (const e of await this.scanner.events(items)) yield e;
    }
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  /** Deletes every key under this store's prefix (tests, benchmarks). */
  async purge(): Promise<number> {
    let n = 0;
    for await (const keys of this.client.scanIterator({
      MATCH: `${escapeGlob(this.keys.prefix)}*`,
      COUNT: 1000,
    })) {
      if (keys.length > 0) n += await this.client.unlink(keys);
    }
    return n;
  }

  async close(): Promise<void> {
    await this.writer.stop();
    if (this.client.isOpen) await this.client.close();
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
