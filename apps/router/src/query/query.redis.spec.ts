import { createClient } from 'redis';
import { io } from 'socket.io-client';
import type { TriageChange } from '@falconer/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect, serviceAvailable } from '@falconer/testing';
import { boot, falcoJson, ingest } from './query.testing';

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));

/**
 * The router's history on real Redis, through HTTP, across a restart. The router has no config key for
 * the history key prefix, so this file owns a Redis database of its own (13) and empties it around the run.
 */
describe.skipIf(!hasRedis)('query API on Redis', () => {
  const url = 'redis://127.0.0.1:6379/13';
  const admin = createClient({ url });
  const flush = async (): Promise<void> => {
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: 'falconer:*', COUNT: 1000 })) keys.push(...batch);
    if (keys.length > 0) await admin.unlink(keys);
  };

  beforeAll(async () => {
    await admin.connect();
    await flush();
  });
  afterAll(async () => {
    await flush();
    await admin.close();
  });

  it('answers from the Redis indexes and keeps history across a router restart', async () => {
    const env = { REDIS_URL: url, STORE_MAXEVENTS: '4' };
    const first = await boot(env);
    try {
      await ingest(first.base, [
        falcoJson(21, { priority: 'Critical', tags: ['a', 'b'], ns: 'shop' }),
        falcoJson(22, { priority: 'Error', tags: ['b'] }),
        falcoJson(23, { priority: 'Notice', tags: ['a'], ns: 'shop' }),
      ]);
      const r = await fetch(`${first.base}/api/v1/events/search?priority=critical,error&tags=b`);
      const text = await r.text();
      expect(text).toMatch(
        /^\{"results":\[\{"uuid":"10000000-0000-4000-8000-000000000021",.*"statistics":\{"returned":2,"all":2\}\}$/,
      );
      expect(text).toContain('"evt.time":1763812800000000021');
      const rec = {
        uuid: '10000000-0000-4000-8000-000000000021',
        rule: 'Rule A',
        action: 'delete_pod',
        outcome: 'acted',
        at: '2026-11-22T12:00:00Z',
      };
      expect(
        (
          await fetch(`${first.base}/api/v1/remediations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(rec),
          })
        ).status,
      ).toBe(200);
    } finally {
      await first.router.close();
    }

    const second = await boot(env);
    try {
      const count = await (await fetch(`${second.base}/api/v1/events/count/tags`)).json();
      expect(count).toEqual({ results: { a: 2, b: 2 }, statistics: { all: 4, distincts: 2 } });
      const d = (await (
        await fetch(`${second.base}/api/v1/events/10000000-0000-4000-8000-000000000021`)
      ).json()) as { remediations: unknown[] };
      expect(d.remediations).toHaveLength(1);
      // store.maxevents = 4: the first received go once more arrive (retention counts from receipt, ADR 0004)
      await ingest(second.base, [
        falcoJson(20, { priority: 'Debug' }),
        falcoJson(1, { priority: 'Debug' }),
        falcoJson(2, { priority: 'Debug' }),
      ]);
      const all = (await (await fetch(`${second.base}/api/v1/events/search`)).json()) as {
        statistics: { all: number };
        results: { uuid: string }[];
      };
      expect(all.statistics.all).toBe(4);
      expect(all.results.map((e) => e.uuid.slice(-2))).toEqual(['01', '02', '20', '23']);
      const health = await fetch(`${second.base}/api/v1/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await second.router.close();
    }
  });

  it('shares triage states and their live changes between two routers on one Redis', async () => {
    await flush();
    const env = { REDIS_URL: url };
    const a = await boot(env);
    const b = await boot(env);
    const socket = io(b.base, { path: '/socket.io', transports: ['websocket'], reconnection: false });
    try {
      const changes: TriageChange[] = [];
      socket.on('triage', (c: TriageChange) => changes.push(c));
      await new Promise<void>((resolve, reject) => {
        socket.on('connect', () => socket.emit('subscribe', {}, () => resolve()));
        socket.on('connect_error', reject);
      });
      await ingest(a.base, [falcoJson(31, { priority: 'Error' }), falcoJson(32, { priority: 'Notice' })]);
      const uuid = '10000000-0000-4000-8000-000000000031';
      const r = await fetch(`${a.base}/api/v1/events/${uuid}/triage`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: '{"state":"acknowledged"}',
      });
      expect(r.status).toBe(200);
      // B's dashboard hears of it through the relay, and B's search shows it
      await expect.poll(() => changes.map((c) => c.uuids), { timeout: 10_000 }).toEqual([[uuid]]);
      expect(changes[0]?.triage).toMatchObject({ state: 'acknowledged', by: 'anonymous' });
      const found = (await (await fetch(`${b.base}/api/v1/events/search?triage=acknowledged`)).json()) as {
        results: { uuid: string; triage?: { state: string } }[];
      };
      expect(found.results.map((e) => [e.uuid, e.triage?.state])).toEqual([[uuid, 'acknowledged']]);
      const bulk = await fetch(`${b.base}/api/v1/events/triage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"state":"resolved","query":{"triage":"new"}}',
      });
      expect(await bulk.json()).toEqual({ changed: 1, unchanged: 0, notFound: 0, truncated: false });
      expect(await (await fetch(`${a.base}/api/v1/events/count?triage=resolved`)).json()).toEqual({
        statistics: { all: 1 },
      });
    } finally {
      socket.close();
      await a.router.close();
      await b.router.close();
    }
  });
});
