import type { RedisClient } from '@falconer/redis';
import type { HistogramResponse, Priority } from '@falconer/contracts';
import { decodeStoredEvent } from '@falconer/falco';
import type { GroupBy } from '../event-store';
import { groupValues } from '../event-query';
import type { RedisKeys } from './redis-keys';
import {
  emptyRange,
  groupDimension,
  histogramFromIndexes,
  histogramGrid,
  score,
  type Plan,
} from './redis-query-plan';
import type { Item, RedisScanner } from './redis-scan';

/** Counts by group and histograms: from the indexes' ZCOUNTs when the plan allows, else by scanning. */
export class RedisAggregates {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly scanner: RedisScanner,
  ) {}

  async countBy(plan: Plan, groupBy: GroupBy): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const dim = groupDimension(plan, groupBy);
    if (dim !== undefined) {
      // every value's own index, counted in the time range: no event is read
      if (emptyRange(plan)) return out;
      const values = await this.client.sMembers(this.keys.values(dim));
      const counts = await Promise.all(values.map((v) => this.scanner.zCount(this.keys.index(dim, v), plan)));
      values.forEach((v, i) => {
        const c = counts[i] as number;
        if (c > 0) out[v] = c;
      });
      return out;
    }
    for await (const items of this.scanner.scan(plan)) {
      for (const [, values] of await this.groupValuesOf(items, groupBy)) {
        for (const v of values) out[v] = (out[v] ?? 0) + 1;
      }
    }
    return out;
  }

  async histogram(plan: Plan, intervalMs: number): Promise<HistogramResponse> {
    const counts = new Map<number, Record<string, number>>();
    const bump = (t: number, p: string, n = 1): void => {
      const start = Math.floor(t / intervalMs) * intervalMs;
      const c = counts.get(start) ?? {};
      c[p] = (c[p] ?? 0) + n;
      counts.set(start, c);
    };
    const grid = histogramFromIndexes(plan) ? await this.grid(plan, intervalMs) : undefined;
    if (grid !== undefined) {
      for (const [t, p, n] of grid) bump(t, p, n);
    } else {
      for await (const items of this.scanner.scan(plan)) {
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
  private async grid(plan: Plan, intervalMs: number): Promise<[number, Priority, number][] | undefined> {
    if (emptyRange(plan)) return [];
    const all = this.keys.all();
    const [oldest, newest] = await Promise.all([
      firstScore(this.client, all, plan.lo, plan.hi, false),
      firstScore(this.client, all, plan.lo, plan.hi, true),
    ]);
    if (oldest === undefined || newest === undefined) return [];
    const cells = histogramGrid(plan, intervalMs, oldest, newest);
    if (cells === undefined) return undefined;
    const n = await Promise.all(
      cells.map((c) => this.client.zCount(this.keys.index('priority', c.priority), c.min, c.max)),
    );
    return cells
      .map((c, i) => [c.start, c.priority, n[i] as number] as [number, Priority, number])
      .filter(([, , c]) => c > 0);
  }

  /** Group values per item, reading events with the fast JSON parser when the value is a plain string. */
  private async groupValuesOf(items: readonly Item[], groupBy: string): Promise<[Item, readonly string[]][]> {
    const byUuid = await this.scanner.storedJson(items);
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
}

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
