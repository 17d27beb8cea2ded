import { createRedisClient, keyPrefix, type RedisClient } from '@falconer/redis';
import {
  PRIORITIES,
  type DeliveryStatus,
  type EventDetail,
  type EventQuery,
  type FalcoEvent,
  type HistogramResponse,
  type Priority,
  type RemediationRecord,
} from '@falconer/contracts';
import { decodeStoredEvent, goJsonString, serializeStoredEvent } from '@falconer/falco';
import type { EventStore, GroupBy, SearchOptions } from '../event-store';
import {
  eventTimeMs,
  groupValues,
  matchesQuery,
  normalizeQuery,
  ttlCutoff,
  type NormalizedQuery,
} from '../event-query';
import {
  ADD_REMEDIATION_SCRIPT,
  indexEntries,
  NAMESPACE_FIELD,
  PREFILTER_SCRIPT,
  RECORD_SCRIPT,
  RedisKeys,
  SET_DELIVERY_SCRIPT,
  TRIM_SCRIPT,
  type Dim,
} from './redis-keys';

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

/** Stored events were validated on the way in; reading them back must never refuse one. */
/** Members read and filtered per round trip while scanning. */
const CHUNK = 2000;
/** Events deleted per trim script call, so one call never blocks Redis for long. */
const TRIM_BATCH = 1000;
/** Above this many ZCOUNTs a histogram is computed by scanning instead. */
const MAX_GRID_COUNTS = 20_000;

interface Item {
  uuid: string;
  score: number;
  /** The stored JSON when the scan had to read it (free text, pod filter). */
  json?: string;
  event?: FalcoEvent;
}

/** One indexed condition: a member must be in at least one of the keys. */
interface Group {
  keys: string[];
  /** Every event is in exactly one key of this dimension (all but tags): counts add up. */
  disjoint: boolean;
}

interface Plan {
  q: NormalizedQuery;
  lo: number;
  hi: number;
  groups: Group[];
  /** Conditions the indexes cannot answer (free text, pod): read the event and match it. */
  needsEvent: boolean;
  /** Strings, one of which the stored JSON must contain (case-folded for text) before it is parsed. */
  prefilter?: { lower: boolean; needles: string[]; inRedis: boolean };
}

const score = (n: number, exclusive = false): string =>
  n === Infinity ? '+inf' : n === -Infinity ? '-inf' : `${exclusive ? '(' : ''}${n}`;

/**
 * Free text the stored JSON may not contain verbatim: characters JSON escapes (quote, backslash, control
 * characters, Go's <>& and U+2028/9) and the comma that joins array values in the searchable text.
 */
function prefilterable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x2028 || c === 0x2029) return false;
  }
  return !/["\\<>&,]/.test(text);
}

/** Reads events newest first from one sorted set between two scores, a chunk (by rank) per round trip. */
class Cursor {
  private buf: { value: string; score: number }[] = [];
  private i = 0;
  private constructor(
    private readonly client: RedisClient,
    private readonly key: string,
    private rank: number,
    private readonly end: number,
    private readonly chunk: number,
  ) {}

  static async open(
    client: RedisClient,
    key: string,
    lo: number,
    hi: number,
    chunk: number,
  ): Promise<Cursor> {
    const [above, inRange] = await Promise.all([
      hi === Infinity ? Promise.resolve(0) : client.zCount(key, score(hi, true), '+inf'),
      client.zCount(key, score(lo), score(hi)),
    ]);
    return new Cursor(client, key, above, above + inRange - 1, chunk);
  }

  async head(): Promise<{ value: string; score: number } | undefined> {
    if (this.i < this.buf.length) return this.buf[this.i];
    if (this.rank > this.end) return undefined;
    const stop = Math.min(this.rank + this.chunk - 1, this.end);
    this.buf = await this.client.zRangeWithScores(this.key, this.rank, stop, { REV: true });
    this.i = 0;
    this.rank = stop + 1;
    return this.buf[0];
  }

  pop(): void {
    this.i++;
  }
}

/**
 * History in Redis: one JSON string per event, sorted-set indexes by time per priority, rule, source,
 * hostname, tag and namespace, so filtered queries read only what matches (ADR 0004).
 */
export class RedisEventStore implements EventStore {
  readonly keys: RedisKeys;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private recordSha = '';
  private readonly shas = new Map<string, string>();
  private trimming: Promise<void> | undefined;

  private constructor(
    readonly client: RedisClient,
    private readonly opts: RedisStoreOptions,
  ) {
    this.keys = new RedisKeys(opts.prefix ?? 'falconer:h:');
    this.now = opts.now ?? Date.now;
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
    store.recordSha = await client.scriptLoad(RECORD_SCRIPT);
    // history written before retention counted from receipt has no receipt index: its events' own
    // times stand in for when they arrived (else they would never be trimmed)
    const rcv = store.keys.received();
    if ((await client.exists(rcv)) === 0 && (await client.exists(store.keys.all())) === 1)
      await client.zUnionStore(rcv, [store.keys.all()]);
    await store.trim();
    const every = opts.trimIntervalMs ?? 10_000;
    if (every > 0) {
      store.timer = setInterval(() => {
        store
          .trim()
          .catch((err: unknown) => opts.onError?.(err instanceof Error ? err : new Error(String(err))));
      }, every);
      store.timer.unref();
    }
    return store;
  }

  private cutoff(): number {
    return ttlCutoff(this.now(), this.opts.ttlMs);
  }

  // ── writes ────────────────────────────────────────────────────────────────────────────────────

  record(event: FalcoEvent): Promise<void> {
    return this.recordMany([event]);
  }

  /** Records events in one pipeline, one atomic script call each (ingest batches, benchmarks). */
  async recordMany(events: readonly FalcoEvent[]): Promise<void> {
    if (events.length === 0) return;
    const k = this.keys;
    const received = String(this.now());
    const calls: { keys: string[]; arguments: string[] }[] = [];
    for (const event of events) {
      // kept by receipt time whatever the event's own time (retention counts from receipt)
      const keys = [k.event(event.uuid), k.all(), k.received()];
      const args = [serializeStoredEvent(event), String(eventTimeMs(event)), event.uuid, received];
      for (const [dim, value] of indexEntries(event)) {
        keys.push(k.index(dim, value), k.values(dim));
        args.push(value);
      }
      calls.push({ keys, arguments: args });
    }
    if (calls.length === 0) return;
    let replies: unknown[];
    try {
      replies = await this.pipeline(calls);
    } catch (err) {
      // Redis restarted or SCRIPT FLUSH: load the script again; recording is idempotent, so retry once
      if (!String(err).includes('NOSCRIPT')) throw err;
      this.recordSha = await this.client.scriptLoad(RECORD_SCRIPT);
      replies = await this.pipeline(calls);
    }
    // a little slack (0.1 %) so a full store trims in batches rather than on every write
    const size = Number(replies[replies.length - 1]);
    if (size > this.opts.maxEvents + Math.floor(this.opts.maxEvents / 1000)) await this.trim();
  }

  private async pipeline(calls: readonly { keys: string[]; arguments: string[] }[]): Promise<unknown[]> {
    const m = this.client.multi();
    for (const c of calls) m.evalSha(this.recordSha, c);
    m.zCard(this.keys.received());
    const replies: unknown[] = await m.execAsPipeline();
    return replies;
  }

  /** Applies retention now (count and TTL); concurrent calls share one run. */
  trim(): Promise<void> {
    this.trimming ??= this.runTrim().finally(() => {
      this.trimming = undefined;
    });
    return this.trimming;
  }

  private async runTrim(): Promise<void> {
    const cutoff = this.cutoff();
    for (;;) {
      const removed = Number(
        await this.script(TRIM_SCRIPT, {
          arguments: [
            this.keys.prefix,
            String(this.opts.maxEvents),
            cutoff === -Infinity ? '' : String(cutoff),
            String(TRIM_BATCH),
          ],
        }),
      );
      if (removed < TRIM_BATCH) return;
    }
  }

  async setDelivery(uuid: string, status: DeliveryStatus): Promise<boolean> {
    if (!(await this.isLive(uuid))) return false;
    const r = await this.script(SET_DELIVERY_SCRIPT, {
      keys: [this.keys.event(uuid), this.keys.deliveries(uuid)],
      arguments: [status.output, JSON.stringify(status)],
    });
    return Number(r) === 1;
  }

  async addRemediation(record: RemediationRecord): Promise<boolean> {
    if (!(await this.isLive(record.uuid))) return false;
    const r = await this.script(ADD_REMEDIATION_SCRIPT, {
      keys: [this.keys.event(record.uuid), this.keys.remediations(record.uuid)],
      arguments: [JSON.stringify(record)],
    });
    return Number(r) === 1;
  }

  /** EVALSHA, loading the script on first use and again after a Redis restart (NOSCRIPT). */
  private async script(text: string, options: { keys?: string[]; arguments: string[] }): Promise<unknown> {
    let sha = this.shas.get(text);
    for (let attempt = 0; ; attempt++) {
      if (sha === undefined) {
        sha = await this.client.scriptLoad(text);
        this.shas.set(text, sha);
      }
      try {
        return await this.client.evalSha(sha, options);
      } catch (err) {
        if (attempt > 0 || !String(err).includes('NOSCRIPT')) throw err;
        sha = undefined;
      }
    }
  }

  /**
   * Queries filter on the events' own times, but retention counts from receipt: events received before
   * the TTL are removed first (one cheap script call when there are none), so a query never returns one.
   */
  private async expire(): Promise<void> {
    if (this.opts.ttlMs > 0) await this.trim();
  }

  private async isLive(uuid: string): Promise<boolean> {
    const t = await this.client.zScore(this.keys.received(), uuid);
    return t !== null && t >= this.cutoff();
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────────

  async get(uuid: string): Promise<EventDetail | undefined> {
    const k = this.keys;
    const [json, deliveries, remediations, t] = await Promise.all([
      this.client.get(k.event(uuid)),
      this.client.hGetAll(k.deliveries(uuid)),
      this.client.lRange(k.remediations(uuid), 0, -1),
      this.client.zScore(k.received(), uuid),
    ]);
    if (json === null || t === null || t < this.cutoff()) return undefined;
    return {
      event: decodeStoredEvent(json),
      deliveries: Object.values(deliveries)
        .map((s) => JSON.parse(s) as DeliveryStatus)
        .sort((a, b) => a.output.localeCompare(b.output)),
      remediations: remediations.map((s) => JSON.parse(s) as RemediationRecord),
    };
  }

  private plan(query: EventQuery): Plan {
    const q = normalizeQuery(query, this.now());
    const k = this.keys;
    const groups: Group[] = [];
    const add = (dim: Dim, values: Iterable<string> | undefined): void => {
      if (values === undefined) return;
      groups.push({ keys: [...values].map((v) => k.index(dim, v)), disjoint: dim !== 'tag' });
    };
    add('priority', q.priority);
    add('rule', q.rule);
    add('source', q.source);
    add('hostname', q.hostname);
    add('tag', q.tags);
    add('ns', q.namespace);
    const plan: Plan = {
      q,
      lo: q.fromMs ?? -Infinity,
      hi: q.toMs ?? Infinity,
      groups,
      needsEvent: q.text !== undefined || q.pod !== undefined,
    };
    // A cheap substring test on the stored JSON rules most events out before the (costlier) lossless parse.
    // In Redis (Lua) only for ASCII text: Lua folds ASCII letters only. The one divergence left: JS folds a
    // few non-ASCII letters to ASCII (KELVIN SIGN to k), which Lua leaves alone; the lossless check decides.
    if (q.text !== undefined && prefilterable(q.text))
      plan.prefilter = { lower: true, needles: [q.text], inRedis: /^[\x20-\x7e]*$/.test(q.text) };
    else if (q.text === undefined && q.pod !== undefined) {
      plan.prefilter = {
        lower: false,
        needles: [...q.pod].map((p) => `${goJsonString('k8s.pod.name')}:${goJsonString(p)}`),
        inRedis: true,
      };
    }
    return plan;
  }

  /** The number of matches when the indexes alone answer it (no event reads, no intersection). */
  private async quickCount(plan: Plan): Promise<number | undefined> {
    if (plan.needsEvent || plan.lo > plan.hi) return plan.lo > plan.hi ? 0 : undefined;
    if (plan.groups.length === 0) return this.client.zCount(this.keys.all(), score(plan.lo), score(plan.hi));
    const g = plan.groups[0] as Group;
    if (plan.groups.length > 1 || (!g.disjoint && g.keys.length > 1)) return undefined;
    const counts = await Promise.all(
      g.keys.map((key) => this.client.zCount(key, score(plan.lo), score(plan.hi))),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /**
   * Matching events newest first, in chunks. The smallest indexed condition drives the scan; the other
   * conditions are checked with ZMSCORE; free text and pod are checked on the event itself.
   */
  private async *scan(plan: Plan, chunk = CHUNK): AsyncGenerator<Item[]> {
    if (plan.lo > plan.hi) return;
    let driver: Group = { keys: [this.keys.all()], disjoint: true };
    let others = plan.groups;
    if (plan.groups.length > 0) {
      const sizes = await Promise.all(
        plan.groups.map(async (g) => {
          const c = await Promise.all(
            g.keys.map((key) => this.client.zCount(key, score(plan.lo), score(plan.hi))),
          );
          return c.reduce((a, b) => a + b, 0);
        }),
      );
      let best = 0;
      sizes.forEach((s, i) => {
        if (s < (sizes[best] as number)) best = i;
      });
      if ((sizes[best] as number) === 0) return;
      driver = plan.groups[best] as Group;
      others = plan.groups.filter((_, i) => i !== best);
    }
    const cursors = await Promise.all(
      driver.keys.map((key) => Cursor.open(this.client, key, plan.lo, plan.hi, chunk)),
    );
    let batch: Item[] = [];
    // a member in several driver keys (tags) comes out once: duplicates share a score, so remember this score's members
    let lastScore = NaN;
    let seen = new Set<string>();
    for (;;) {
      let best: Cursor | undefined;
      let top: { value: string; score: number } | undefined;
      for (const c of cursors) {
        const h = await c.head();
        if (h !== undefined && (top === undefined || h.score > top.score)) {
          best = c;
          top = h;
        }
      }
      if (best === undefined || top === undefined) break;
      best.pop();
      if (top.score !== lastScore) {
        lastScore = top.score;
        seen = new Set();
      }
      if (seen.has(top.value) || top.score < plan.lo || top.score > plan.hi) continue;
      seen.add(top.value);
      batch.push({ uuid: top.value, score: top.score });
      if (batch.length >= chunk) {
        const out = await this.filter(plan, others, batch);
        batch = [];
        if (out.length > 0) yield out;
      }
    }
    if (batch.length > 0) {
      const out = await this.filter(plan, others, batch);
      if (out.length > 0) yield out;
    }
  }

  private async filter(plan: Plan, others: readonly Group[], items: Item[]): Promise<Item[]> {
    let out = items;
    for (const g of others) {
      if (out.length === 0) return out;
      const members = out.map((i) => i.uuid);
      const hits = await Promise.all(g.keys.map((key) => this.client.zmScore(key, members)));
      out = out.filter((_, i) => hits.some((h) => h[i] !== null));
    }
    if (!plan.needsEvent || out.length === 0) return out;
    const pre = plan.prefilter;
    const candidates: [Item, string][] = [];
    if (pre?.inRedis === true) {
      const flat = (await this.script(PREFILTER_SCRIPT, {
        keys: out.map((i) => this.keys.event(i.uuid)),
        arguments: [pre.lower ? '1' : '0', ...pre.needles],
      })) as (number | string)[];
      for (let k = 0; k + 1 < flat.length; k += 2)
        candidates.push([out[Number(flat[k]) - 1] as Item, String(flat[k + 1])]);
    } else {
      const jsons = await this.client.mGet(out.map((i) => this.keys.event(i.uuid)));
      out.forEach((item, i) => {
        const json = jsons[i];
        if (json === null || json === undefined) return;
        if (pre !== undefined) {
          const hay = pre.lower ? json.toLowerCase() : json;
          if (!pre.needles.some((n) => hay.includes(n))) return;
        }
        candidates.push([item, json]);
      });
    }
    const kept: Item[] = [];
    for (const [item, json] of candidates) {
      const event = decodeStoredEvent(json);
      if (matchesQuery(plan.q, event)) kept.push({ ...item, json, event });
    }
    return kept;
  }

  /** Events for scanned items, in order (an event trimmed meanwhile is left out). */
  private async events(items: readonly Item[]): Promise<FalcoEvent[]> {
    const missing = items.filter((i) => i.event === undefined);
    const jsons =
      missing.length > 0 ? await this.client.mGet(missing.map((i) => this.keys.event(i.uuid))) : [];
    const fetched = new Map<string, string>();
    missing.forEach((m, i) => {
      const j = jsons[i];
      if (j !== null && j !== undefined) fetched.set(m.uuid, j);
    });
    const out: FalcoEvent[] = [];
    for (const i of items) {
      if (i.event !== undefined) out.push(i.event);
      else {
        const j = fetched.get(i.uuid);
        if (j !== undefined) out.push(decodeStoredEvent(j));
      }
    }
    return out;
  }

  async search(query: EventQuery, options: SearchOptions): Promise<{ total: number; results: FalcoEvent[] }> {
    await this.expire();
    const plan = this.plan(query);
    const offset = (options.page - 1) * options.limit;
    const end = offset + options.limit;
    const quick = await this.quickCount(plan);
    const page: Item[] = [];
    let seen = 0;
    if (quick !== undefined) {
      if (offset >= quick) return { total: quick, results: [] };
      for await (const items of this.scan(plan, Math.min(Math.max(end, 16), CHUNK))) {
        for (const it of items) {
          if (seen >= offset && seen < end) page.push(it);
          seen++;
        }
        if (seen >= end) break;
      }
      return { total: quick, results: await this.events(page) };
    }
    for await (const items of this.scan(plan)) {
      for (const it of items) {
        if (seen >= offset && seen < end) page.push(it);
        seen++;
      }
    }
    return { total: seen, results: await this.events(page) };
  }

  async count(query: EventQuery): Promise<number> {
    await this.expire();
    const plan = this.plan(query);
    const quick = await this.quickCount(plan);
    if (quick !== undefined) return quick;
    let n = 0;
    for await (const items of this.scan(plan)) n += items.length;
    return n;
  }

  async countBy(groupBy: GroupBy, query: EventQuery): Promise<Record<string, number>> {
    await this.expire();
    const plan = this.plan(query);
    const out: Record<string, number> = {};
    const dim = INDEXED_GROUPS[groupBy];
    if (dim !== undefined && plan.groups.length === 0 && !plan.needsEvent) {
      // every value's own index, counted in the time range: no event is read
      if (plan.lo > plan.hi) return out;
      const values = await this.client.sMembers(this.keys.values(dim));
      const counts = await Promise.all(
        values.map((v) => this.client.zCount(this.keys.index(dim, v), score(plan.lo), score(plan.hi))),
      );
      values.forEach((v, i) => {
        const c = counts[i] as number;
        if (c > 0) out[v] = c;
      });
      return out;
    }
    for await (const items of this.scan(plan)) {
      for (const [, values] of await this.groupValuesOf(items, groupBy)) {
        for (const v of values) out[v] = (out[v] ?? 0) + 1;
      }
    }
    return out;
  }

  /** Group values per item, reading events with the fast JSON parser when the value is a plain string. */
  private async groupValuesOf(items: readonly Item[], groupBy: string): Promise<[Item, readonly string[]][]> {
    const missing = items.filter((i) => i.event === undefined);
    const jsons =
      missing.length > 0 ? await this.client.mGet(missing.map((i) => this.keys.event(i.uuid))) : [];
    const byUuid = new Map<string, string>();
    missing.forEach((m, i) => {
      const j = jsons[i];
      if (j !== null && j !== undefined) byUuid.set(m.uuid, j);
    });
    const out: [Item, readonly string[]][] = [];
    for (const item of items) {
      if (item.event !== undefined) {
        out.push([item, groupValues(item.event, groupBy)]);
        continue;
      }
      const json = byUuid.get(item.uuid);
      if (json === undefined) continue;
      out.push([item, quickGroupValues(json, groupBy) ?? groupValues(decodeStoredEvent(json), groupBy)]);
    }
    return out;
  }

  async histogram(query: EventQuery, intervalMs: number): Promise<HistogramResponse> {
    await this.expire();
    if (!(intervalMs > 0)) throw new RangeError('interval must be positive');
    const plan = this.plan(query);
    const counts = new Map<number, Record<string, number>>();
    const bump = (t: number, p: string, n = 1): void => {
      const start = Math.floor(t / intervalMs) * intervalMs;
      const c = counts.get(start) ?? {};
      c[p] = (c[p] ?? 0) + n;
      counts.set(start, c);
    };
    const onlyPriority =
      plan.groups.length === 0 || (plan.groups.length === 1 && plan.q.priority !== undefined);
    const grid = !plan.needsEvent && onlyPriority ? await this.histogramGrid(plan, intervalMs) : undefined;
    if (grid !== undefined) {
      for (const [t, p, n] of grid) bump(t, p, n);
    } else {
      for await (const items of this.scan(plan)) {
        for (const [item, values] of await this.groupValuesOf(items, 'priority')) {
          for (const p of values) bump(item.score, p);
        }
      }
    }
    return {
      interval: `${intervalMs / 1000}s`,
      buckets: [...counts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([t, c]) => ({ time: new Date(t).toISOString(), counts: c })),
    };
  }

  /** ZCOUNT per bucket and priority, when the range is small enough; undefined = scan instead. */
  private async histogramGrid(
    plan: Plan,
    intervalMs: number,
  ): Promise<[number, Priority, number][] | undefined> {
    if (plan.lo > plan.hi) return [];
    const priorities: readonly Priority[] = plan.q.priority !== undefined ? [...plan.q.priority] : PRIORITIES;
    const all = this.keys.all();
    const [oldest, newest] = await Promise.all([
      firstScore(this.client, all, plan.lo, plan.hi, false),
      firstScore(this.client, all, plan.lo, plan.hi, true),
    ]);
    if (oldest === undefined || newest === undefined) return [];
    const first = Math.floor(oldest / intervalMs) * intervalMs;
    const buckets = Math.floor((newest - first) / intervalMs) + 1;
    if (buckets * priorities.length > MAX_GRID_COUNTS) return undefined;
    const cells: [number, Priority][] = [];
    for (let b = 0; b < buckets; b++) for (const p of priorities) cells.push([first + b * intervalMs, p]);
    const n = await Promise.all(
      cells.map(([t, p]) =>
        this.client.zCount(
          this.keys.index('priority', p),
          score(Math.max(t, plan.lo)),
          plan.hi < t + intervalMs ? score(plan.hi) : score(t + intervalMs, true),
        ),
      ),
    );
    return cells
      .map(([t, p], i) => [t, p, n[i] as number] as [number, Priority, number])
      .filter(([, , c]) => c > 0);
  }

  async *export(query: EventQuery): AsyncIterable<FalcoEvent> {
    await this.expire();
    const plan = this.plan(query);
    for await (const items of this.scan(plan, 500)) {
      for (const e of await this.events(items)) yield e;
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
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.trimming?.catch(() => undefined);
    if (this.client.isOpen) await this.client.close();
  }
}

const INDEXED_GROUPS: Partial<Record<GroupBy, Dim>> = {
  priority: 'priority',
  rule: 'rule',
  source: 'source',
  hostname: 'hostname',
  tags: 'tag',
  [NAMESPACE_FIELD]: 'ns',
};

/** Group values from `JSON.parse` when they are strings (exact); undefined when only a lossless parse is exact. */
function quickGroupValues(json: string, groupBy: string): readonly string[] | undefined {
  const e = JSON.parse(json) as {
    priority: string;
    rule: string;
    source: string;
    hostname?: string;
    tags?: string[];
    output_fields: Record<string, unknown>;
  };
  switch (groupBy) {
    case 'priority':
    case 'rule':
    case 'source':
      return [e[groupBy]];
    case 'hostname':
      return [e.hostname ?? ''];
    case 'tags':
      return e.tags ?? [];
    default: {
      const v = e.output_fields[groupBy];
      if (v === undefined || v === null) return [];
      return typeof v === 'string' ? [v] : undefined;
    }
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** The score of the first member (oldest, or newest with `rev`) between two scores. */
async function firstScore(
  client: RedisClient,
  key: string,
  lo: number,
  hi: number,
  rev: boolean,
): Promise<number | undefined> {
  const r = rev
    ? await client.zRangeWithScores(key, score(hi), score(lo), {
        BY: 'SCORE',
        REV: true,
        LIMIT: { offset: 0, count: 1 },
      })
    : await client.zRangeWithScores(key, score(lo), score(hi), {
        BY: 'SCORE',
        LIMIT: { offset: 0, count: 1 },
      });
  return r[0]?.score;
}
