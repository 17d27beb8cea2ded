import type { RedisClient } from '@falconer/redis';
import type { FalcoEvent } from '@falconer/contracts';
import { decodeStoredEvent } from '@falconer/falco';
import { matchesQuery } from '../event-query';
import { PREFILTER_SCRIPT, type RedisKeys } from './redis-keys';
import { emptyRange, score, type Group, type Plan } from './redis-query-plan';
import type { RedisScripts } from './redis-scripts';

/** Members read and filtered per round trip while scanning. */
export const CHUNK = 2000;

/** A matching event found by a scan. */
export interface Item {
  uuid: string;
  /** The event's time (epoch ms). */
  score: number;
  /** The stored JSON when the scan had to read it (free text, pod filter). */
  json?: string;
  event?: FalcoEvent;
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
 * Runs a plan against Redis: matching events newest first, in chunks. The smallest indexed condition
 * drives the scan; the other conditions are checked with ZMSCORE; free text and pod on the event itself.
 * Stored events are read back here, and only here, with the one stored-event decoder.
 */
export class RedisScanner {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly scripts: RedisScripts,
  ) {}

  /** Matches of a key in the plan's time range. */
  zCount(key: string, plan: Plan): Promise<number> {
    return this.client.zCount(key, score(plan.lo), score(plan.hi));
  }

  /** The sum of ZCOUNTs over keys in the plan's time range. */
  async countIn(keys: readonly string[], plan: Plan): Promise<number> {
    const counts = await Promise.all(keys.map((key) => this.zCount(key, plan)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async *scan(plan: Plan, chunk = CHUNK): AsyncGenerator<Item[]> {
    if (emptyRange(plan)) return;
    let driver: Group = { keys: [this.keys.all()], disjoint: true };
    let others = plan.groups;
    const drivers = plan.groups.filter((g) => g.exclude !== true);
    if (drivers.length > 0) {
      const sizes = await Promise.all(drivers.map((g) => this.countIn(g.keys, plan)));
      let best = 0;
      sizes.forEach((s, i) => {
        if (s < (sizes[best] as number)) best = i;
      });
      if ((sizes[best] as number) === 0) return;
      driver = drivers[best] as Group;
      others = plan.groups.filter((g) => g !== driver);
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
      const inSome = (i: number): boolean => hits.some((h) => h[i] !== null);
      out = out.filter((_, i) => inSome(i) !== (g.exclude === true));
    }
    if (!plan.needsEvent || out.length === 0) return out;
    const pre = plan.prefilter;
    const candidates: [Item, string][] = [];
    if (pre?.inRedis === true) {
      const flat = (await this.scripts.run(PREFILTER_SCRIPT, {
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

  /** The stored JSON of scanned items not read yet, by uuid (an event trimmed meanwhile is absent). */
  async storedJson(items: readonly Item[]): Promise<Map<string, string>> {
    const missing = items.filter((i) => i.event === undefined);
    const jsons =
      missing.length > 0 ? await this.client.mGet(missing.map((i) => this.keys.event(i.uuid))) : [];
    const byUuid = new Map<string, string>();
    missing.forEach((m, i) => {
      const j = jsons[i];
      if (j !== null && j !== undefined) byUuid.set(m.uuid, j);
    });
    return byUuid;
  }

  /** Events for scanned items, in order (an event trimmed meanwhile is left out). */
  async events(items: readonly Item[]): Promise<FalcoEvent[]> {
    const fetched = await this.storedJson(items);
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
}
