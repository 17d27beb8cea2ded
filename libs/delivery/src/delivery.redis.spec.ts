import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createClient } from 'redis';
import type { FalcoEvent } from '@falconer/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent } from '@falconer/falco';
import {
  canConnect,
  Receiver,
  REDIS_URL,
  serviceAvailable,
  type RecordedRequest,
  testEvent,
} from '@falconer/testing';
import { createDispatcher } from './create-dispatcher';
import { type DeliveryService, type DeliveryTarget } from './delivery-service';
import { QueueUnavailableError } from './dispatcher';
import { sleep, uuidsOf, waitUntil, webhookTarget } from './testing/harness';

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));

/** A TCP relay to the real Redis that the test can cut and restore, to play a Redis outage. */
class RedisRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((r) => server.close(r));
  }
}

describe.skipIf(!hasRedis)('delivery with Redis Streams', () => {
  const admin = createClient({ url: REDIS_URL });
  const prefixes: string[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    await admin.connect();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    for (const p of prefixes) {
      for await (const keys of admin.scanIterator({ MATCH: `${p}:*`, COUNT: 1000 }))
        if (keys.length > 0) await admin.del(keys);
    }
    await admin.quit();
  });

  function newPrefix(): string {
    const p = `test:delivery:${randomUUID()}`;
    prefixes.push(p);
    return p;
  }

  async function receiver(): Promise<Receiver> {
    const r = await Receiver.start();
    cleanups.push(() => r.close());
    return r;
  }

  async function dispatcher(
    prefix: string,
    consumer: string,
    targets: DeliveryTarget[],
    claimIdleMs?: number,
  ): Promise<DeliveryService> {
    const d = await createDispatcher({
      targets,
      redisUrl: REDIS_URL,
      keyPrefix: prefix,
      consumerName: consumer,
      ...(claimIdleMs ? { claimIdleMs } : {}),
    });
    await d.start();
    cleanups.push(() => d.stop(1_000));
    return d;
  }

  /**
   * A consumer `host:2801` that read `n` events and delivered none (its destination answers 503), then
   * went away with everything unacknowledged (stop with no time left = in-flight cut off).
   */
  async function leftPending(prefix: string, n: number, seen: number): Promise<FalcoEvent[]> {
    const down = await receiver();
    down.respond(() => ({ status: 503 }));
    const a = await dispatcher(prefix, 'host:2801', [webhookTarget('hook', down.url)]);
    const events = Array.from({ length: n }, (_, i) => testEvent(i));
    for (const e of events) await a.enqueue(e, ['hook']);
    await down.waitFor(seen, 5_000);
    await a.stop(0);
    return events;
  }

  it('survives the process: entries left unacknowledged are resumed at once by the same consumer', async () => {
    const prefix = newPrefix();
    const events = await leftPending(prefix, 30, 5);
    expect(await admin.xLen(`${prefix}:q:hook`)).toBe(30);

    const up = await receiver();
    const started = Date.now();
    const b = await dispatcher(prefix, 'host:2801', [webhookTarget('hook', up.url)]);
    await waitUntil(
      () => new Set(up.requests.flatMap(uuidsOf)).size === 30,
      10_000,
      '30 events after restart',
    );
    // its own pending entries are read first, not after the 30 s reclaim delay (a bound far from both)
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(new Set(up.requests.flatMap(uuidsOf))).toEqual(new Set(events.map((e) => e.uuid)));
    await waitUntil(async () => (await admin.xLen(`${prefix}:q:hook`)) === 0, 2_000, 'stream emptied');
    expect((await b.outputs())[0]?.queueDepth).toBe(0);
  }, 30_000);

  it('entries of a consumer that died for good are taken over by another one after the idle time', async () => {
    const prefix = newPrefix();
    const hang = await receiver();
    hang.respond(() => ({ status: 200, hang: true }));
    const a = await dispatcher(prefix, 'dead-host:2801', [
      webhookTarget('hook', hang.url, { delivery: { timeout: '30s', concurrency: 1 } }),
    ]);
    const events = Array.from({ length: 10 }, (_, i) => testEvent(i));
    for (const e of events) await a.enqueue(e, ['hook']);
    await hang.waitFor(1, 5_000);
    await a.stop(0);
    const up = await receiver();
    const b = await dispatcher(prefix, 'other-host:2801', [webhookTarget('hook', up.url)], 1_000);
    await waitUntil(() => new Set(up.requests.flatMap(uuidsOf)).size === 10, 10_000, 'reclaimed events');
    // the receiver records a request before answering it; the counter moves after the answer
    await waitUntil(async () => (await b.outputs())[0]?.counters.sent === 10, 2_000, 'sent counter');
    expect(up.requests.flatMap(uuidsOf).length).toBe(10);
  }, 30_000);

  it('two dispatchers on one Redis share the work: each event reaches the webhook once', async () => {
    const prefix = newPrefix();
    const r = await receiver();
    r.respond(() => ({ status: 200, delayMs: 5 }));
    const one = await dispatcher(prefix, 'a:1', [webhookTarget('hook', r.url)]);
    const two = await dispatcher(prefix, 'b:2', [webhookTarget('hook', r.url)]);
    const events = Array.from({ length: 300 }, (_, i) => testEvent(i));
    for (const [i, e] of events.entries()) await (i % 2 === 0 ? one : two).enqueue(e, ['hook']);
    await waitUntil(() => r.requests.length >= 300, 15_000, '300 requests');
    await sleep(500);
    const got = r.requests.flatMap(uuidsOf);
    expect(got.length).toBe(300);
    expect(new Set(got).size).toBe(300);
    const sentOne = (await one.outputs())[0]?.counters.sent ?? 0;
    const sentTwo = (await two.outputs())[0]?.counters.sent ?? 0;
    expect(sentOne + sentTwo).toBe(300);
    expect(sentOne).toBeGreaterThan(0);
    expect(sentTwo).toBeGreaterThan(0);
  }, 30_000);

  it('keeps big numbers exact through the stream, and keeps dead letters in Redis for replay', async () => {
    const prefix = newPrefix();
    const r = await receiver();
    let fixed = false;
    r.respond(() => (fixed ? { status: 200 } : { status: 403, body: 'forbidden' }));
    const d = await dispatcher(prefix, 'h:1', [webhookTarget('hook', r.url)]);
    const big = parseEvent(
      '{"rule":"r","priority":"Warning","time":"2026-11-22T10:00:00.123456789Z","output":"x","output_fields":{"evt.num":1234567890123456789,"k8s.pod.name":"p"}}',
    ).event;
    await d.enqueue(big, ['hook']);
    await waitUntil(async () => (await d.deadLetters.count('hook')) === 1, 5_000, 'dead letter');
    expect(r.requests[0]?.text).toContain('"evt.num":1234567890123456789');
    const listed = await d.listDeadLetters({ offset: 0, limit: 10, output: 'hook' });
    expect(listed.results[0]).toMatchObject({ reason: 'auth_error', attempts: 1 });
    // a second dispatcher on the same Redis sees the same dead letters
    const other = await dispatcher(prefix, 'h:2', [webhookTarget('hook', r.url)]);
    expect(await other.deadLetters.count()).toBe(1);
    fixed = true;
    expect(await other.replay({ output: 'hook' })).toEqual({ replayed: 1 });
    expect(await d.replay({ output: 'hook' })).toEqual({ replayed: 0 });
    await r.waitFor(2, 5_000);
    expect(r.requests[1]?.text).toContain('"evt.num":1234567890123456789');
    expect(await d.deadLetters.count()).toBe(0);
  }, 20_000);

  it('Redis unreachable: enqueue fails at once (ingest answers 503), delivery resumes when it is back', async () => {
    const prefix = newPrefix();
    const relay = new RedisRelay();
    await relay.up();
    cleanups.push(() => relay.down());
    const r = await receiver();
    const d = await createDispatcher({
      targets: [webhookTarget('hook', r.url)],
      redisUrl: `redis://127.0.0.1:${relay.port}`,
      keyPrefix: prefix,
      consumerName: 'h:1',
    });
    await d.start();
    cleanups.push(() => d.stop(500));
    const first = testEvent(1);
    await d.enqueue(first, ['hook']);
    await r.waitFor(1, 5_000);
    await relay.down();
    await sleep(100);
    const t0 = Date.now();
    await expect(d.enqueue(testEvent(2), ['hook'])).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - t0).toBeLessThan(5_000); // refused, not left hanging until Redis returns
    await sleep(1_500);
    await relay.up();
    const again = testEvent(3);
    await waitUntil(
      async () => {
        try {
          await d.enqueue(again, ['hook']);
          return true;
        } catch {
          return false;
        }
      },
      10_000,
      'Redis back',
    );
    await waitUntil(
      () => r.requests.some((q) => uuidsOf(q).includes(again.uuid)),
      10_000,
      'delivery after the outage',
    );
    expect(r.requests.flatMap(uuidsOf).filter((u) => u === first.uuid)).toHaveLength(1);
  }, 30_000);

  it('a destination that fails everything: the worker holds a bounded number of entries, the rest stays in Redis', async () => {
    const prefix = newPrefix();
    const r = await receiver();
    r.respond(() => ({ status: 503 }));
    const d = await createDispatcher({
      targets: [webhookTarget('hook', r.url, { delivery: { backoff: { base: '2s' } } })],
      redisUrl: REDIS_URL,
      keyPrefix: prefix,
      consumerName: 'h:1',
      maxHeldPerOutput: 20,
    });
    await d.start();
    cleanups.push(() => d.stop(500));
    for (let i = 0; i < 100; i++) await d.enqueue(testEvent(i), ['hook']);
    await waitUntil(() => (d.worker('hook')?.heldCount ?? 0) >= 20, 5_000, '20 held');
    // no busy loop while it holds its maximum: the process mostly idles (CPU time, not wall time)
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    await sleep(1_000);
    const cpu = process.cpuUsage(cpu0);
    expect((cpu.user + cpu.system) / 1_000).toBeLessThan((Date.now() - t0) / 2);
    expect(d.worker('hook')?.heldCount).toBe(20);
    expect(new Set(r.requests.flatMap(uuidsOf)).size).toBe(20);
    expect(await admin.xLen(`${prefix}:q:hook`)).toBe(100);
  }, 15_000);

  it('the stream and group deleted under it (FLUSHDB, Redis restart without persistence): the group is made again', async () => {
    const prefix = newPrefix();
    const r = await receiver();
    const d = await dispatcher(prefix, 'h:1', [webhookTarget('hook', r.url)]);
    await d.enqueue(testEvent(1), ['hook']);
    await r.waitFor(1, 5_000);
    await admin.del(`${prefix}:q:hook`);
    const after = testEvent(2);
    await d.enqueue(after, ['hook']);
    await waitUntil(
      () => r.requests.some((q) => uuidsOf(q).includes(after.uuid)),
      5_000,
      'delivery after the stream was deleted',
    );
  }, 15_000);

  it('refuses an event when a stream is at its bound, for all its outputs', async () => {
    const prefix = newPrefix();
    const hang = await receiver();
    hang.respond(() => ({ status: 200, hang: true }));
    const fine = await receiver();
    const d = await dispatcher(prefix, 'h:1', [
      webhookTarget('stuck', hang.url, { delivery: { queuesize: 5, concurrency: 1, timeout: '30s' } }),
      webhookTarget('fine', fine.url),
    ]);
    for (let i = 0; i < 5; i++) await d.enqueue(testEvent(i), ['stuck', 'fine']);
    await expect(d.enqueue(testEvent(9), ['stuck', 'fine'])).rejects.toMatchObject({
      name: 'OverloadedError',
      output: 'stuck',
    });
    await fine.waitFor(5, 5_000);
    await sleep(200);
    expect(fine.requests.length).toBe(5);
    expect(await admin.xLen(`${prefix}:q:stuck`)).toBe(5);
  }, 15_000);

  async function lost(d: DeliveryService, reason: string): Promise<number> {
    const values = (await d.metrics.lost.get()).values;
    return values.filter((v) => v.labels['reason'] === reason).reduce((a, v) => a + v.value, 0);
  }

  it('an accepted event past the default ingest limits (e.g. 1 001 fields after enrichment) is delivered, not removed', async () => {
    const prefix = newPrefix();
    const up = await receiver();
    const d = await dispatcher(prefix, 'host:2801', [webhookTarget('hook', up.url)]);
    const fields: Record<string, string> = {};
    for (let i = 0; i < 1_001; i++) fields[`f.${i}`] = 'v';
    const big = testEvent(0, { output_fields: fields, output: 'x'.repeat(300 * 1024) });
    await d.enqueue(big, ['hook']);
    await waitUntil(() => up.requests.length === 1, 10_000, 'the big event');
    expect(uuidsOf(up.requests[0] as RecordedRequest)).toEqual([big.uuid]);
    expect(await lost(d, 'unreadable')).toBe(0);
  }, 30_000);

  it('a pending entry deleted from its stream does not stop the consumer after a restart; it is counted as lost', async () => {
    const prefix = newPrefix();
    await leftPending(prefix, 6, 4);
    const key = `${prefix}:q:hook`;
    // an operator (or a script) deletes one entry that this consumer still has pending
    const pending = await admin.xPendingRange(key, 'falconer', '-', '+', 10);
    const victim = pending[0]?.id as string;
    await admin.xDel(key, victim);

    const up = await receiver();
    const b = await dispatcher(prefix, 'host:2801', [webhookTarget('hook', up.url)]);
    // before the fix, every read of the pending list threw (node-redis cannot read `[id, nil]`) and
    // nothing was ever delivered again; new events must flow too
    const later = testEvent(99);
    await b.enqueue(later, ['hook']);
    await waitUntil(
      () => new Set(up.requests.flatMap(uuidsOf)).size === 6,
      10_000,
      'the 5 left and the new one',
    );
    await waitUntil(async () => (await lost(b, 'vanished')) === 1, 2_000, 'vanished counted');
    await waitUntil(
      async () => (await admin.xPending(key, 'falconer')).pending === 0,
      2_000,
      'nothing pending',
    );
  }, 30_000);

  it('an unreadable entry is removed, counted in falconer_delivery_lost_total and does not block the rest', async () => {
    const prefix = newPrefix();
    const up = await receiver();
    const key = `${prefix}:q:hook`;
    const d = await dispatcher(prefix, 'host:2801', [webhookTarget('hook', up.url)]);
    await admin.xAdd(key, '*', { e: '{"not":"an event"', t: String(Date.now()) });
    const ok = testEvent(1);
    await d.enqueue(ok, ['hook']);
    await waitUntil(() => up.requests.length === 1, 10_000, 'the valid event');
    await waitUntil(async () => (await lost(d, 'unreadable')) === 1, 2_000, 'unreadable counted');
  }, 30_000);
});
