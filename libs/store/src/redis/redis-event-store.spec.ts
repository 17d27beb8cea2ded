import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect, REDIS_URL, serviceAvailable } from '@falconer/testing';
import type { EventStore } from '../event-store';
import { makeEvent, NOW, storeScenarios } from '../testing/store-scenarios';
import { RedisEventStore } from './redis-event-store';

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));

describe.skipIf(!hasRedis)('redis store', () => {
  const admin = createClient({ url: REDIS_URL });
  const prefixes: string[] = [];
  const run = `falconer-test:${randomUUID().slice(0, 8)}:`;

  const connect = (
    prefix: string,
    o: { maxEvents: number; ttlMs: number; now: () => number },
  ): Promise<RedisEventStore> => RedisEventStore.connect({ url: REDIS_URL, prefix, trimIntervalMs: 0, ...o });

  const keysUnder = async (prefix: string): Promise<string[]> => {
    if (!admin.isOpen) await admin.connect();
    const out: string[] = [];
    for await (const keys of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) out.push(...keys);
    return out.sort();
  };

  beforeAll(async () => {
    if (!admin.isOpen) await admin.connect();
  });
  afterAll(async () => {
    for (const p of prefixes) {
      const keys = await keysUnder(p);
      if (keys.length > 0) await admin.unlink(keys);
    }
    await admin.close();
  });

  storeScenarios('redis', {
    make: (o) => {
      const prefix = `${run}${prefixes.length}:`;
      prefixes.push(prefix);
      return connect(prefix, o);
    },
    reopen: (store: EventStore, o) => connect((store as RedisEventStore).keys.prefix, o),
    async afterRetention(store: EventStore, remaining: readonly string[]) {
      const s = store as RedisEventStore;
      await s.trim();
      const keys = await keysUnder(s.keys.prefix);
      const p = s.keys.prefix;
      // nothing is left of a removed event: no JSON, no index entry
      expect(keys.filter((k) => k.startsWith(`${p}e:`)).sort()).toEqual(
        remaining.map((u) => `${p}e:${u}`).sort(),
      );
      // nor its deliveries, attempts, remediations, triage history or routing record
      for (const k of keys) {
        const per = /^[edrgoa]:(.+)$/.exec(k.slice(p.length));
        if (per !== null) expect(remaining).toContain(per[1]);
      }
      for (const k of keys.filter((k) => k.startsWith(`${p}i:`) || k === `${p}t` || k === `${p}rcv`)) {
        const members = await admin.zRange(k, 0, -1);
        for (const m of members) expect(remaining).toContain(m);
      }
    },
  });

  it('answers indexed queries without reading events, and counts a million-scale range with ZCOUNT', async () => {
    const prefix = `${run}count:`;
    prefixes.push(prefix);
    const store = await connect(prefix, { maxEvents: 100, ttlMs: 0, now: () => NOW });
    await store.recordMany(
      Array.from({ length: 50 }, (_, i) => makeEvent(i, { priority: i < 10 ? 'Critical' : 'Notice' })),
    );
    expect(await store.count({ priority: ['Critical'] })).toBe(10);
    expect(await store.count({})).toBe(50);
    // remove the event bodies: indexed answers must not depend on them
    const keys = await keysUnder(`${prefix}e:`);
    await admin.unlink(keys);
    expect(await store.count({ priority: ['Critical'], since: '1h' })).toBe(10);
    expect(await store.countBy('priority', {})).toEqual({ Critical: 10, Notice: 40 });
    await store.close();
  });

  it('history written before the receipt index gets one from the event times at start, and is trimmed', async () => {
    const prefix = `${run}rcv:`;
    prefixes.push(prefix);
    const before = await connect(prefix, { maxEvents: 100, ttlMs: 0, now: () => NOW });
    const evs = [makeEvent(300), makeEvent(10)];
    await before.recordMany(evs);
    await before.close();
    // as an older version left it: no receipt index
    await admin.del(`${prefix}rcv`);
    const after = await connect(prefix, { maxEvents: 100, ttlMs: 2 * 3_600_000, now: () => NOW });
    expect(await admin.zScore(`${prefix}rcv`, (evs[1] as { uuid: string }).uuid)).toBe(NOW - 10 * 60_000);
    // the one dated 5 h back counts as received then: past the 2 h TTL, trimmed
    expect((await after.search({}, { page: 1, limit: 10 })).results.map((e) => e.uuid)).toEqual([
      (evs[1] as { uuid: string }).uuid,
    ]);
    await after.close();
  });

  it('loads its scripts again after Redis forgot them (restart, SCRIPT FLUSH)', async () => {
    const prefix = `${run}noscript:`;
    prefixes.push(prefix);
    const store = await connect(prefix, { maxEvents: 3, ttlMs: 0, now: () => NOW });
    await store.record(makeEvent(5));
    await admin.scriptFlush();
    const evs = [makeEvent(4), makeEvent(3), makeEvent(2)];
    await store.recordMany(evs);
    expect(await store.count({})).toBe(3);
    await admin.scriptFlush();
    expect(
      await store.setDelivery((evs[0] as { uuid: string }).uuid, {
        output: 'o',
        state: 'queued',
        attempts: 0,
        updatedAt: '2026-11-22T12:00:00Z',
      }),
    ).toBe(true);
    await store.close();
  });

  it('fails fast while Redis is unreachable instead of queueing writes', async () => {
    await expect(
      RedisEventStore.connect({ url: 'redis://127.0.0.1:1', maxEvents: 10, ttlMs: 0, trimIntervalMs: 0 }),
    ).rejects.toThrow();
  });
});
