import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FalcoEvent } from '@falconer/contracts';
import { QueueUnavailableError } from '@falconer/delivery';
import { DuplicateEventError, MemoryEventStore, RedisEventStore } from '@falconer/store';
import { canConnect, serviceAvailable, TcpProxy } from '@falconer/testing';
import { EventSpool, SpoolFullError, type EventSink } from './event-spool';

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));

function event(n: number): FalcoEvent {
  return {
    uuid: randomUUID(),
    output: `event ${n}`,
    priority: 'Warning',
    rule: 'Spool test',
    time: new Date(Date.UTC(2026, 10, 30, 5, 0, n)).toISOString(),
    output_fields: { 'proc.name': 'spool' },
    source: 'syscall',
    tags: [],
    hostname: 'h',
  };
}

/** Log lines the spool writes, as parsed JSON. */
function capture(): { log: pino.Logger; lines: { msg: string; level: number }[] } {
  const lines: { msg: string; level: number }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as never);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

const until = async (cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(!hasRedis)('EventSpool in front of a real Redis that goes away and comes back', () => {
  let proxy: TcpProxy;
  let store: RedisEventStore;
  let queue: ReturnType<typeof createClient>;
  const prefix = `t-spool-${randomUUID()}:`;
  const stream = `${prefix}q`;

  beforeAll(async () => {
    proxy = await TcpProxy.open({ host: '127.0.0.1', port: 6379 });
    const url = `redis://127.0.0.1:${proxy.port}`;
    store = await RedisEventStore.connect({ url, prefix, maxEvents: 1000, ttlMs: 0, trimIntervalMs: 0 });
    // the queue side as the Redis dispatcher writes it: an XADD per event, failing at once while offline
    queue = createClient({
      url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: () => 50 },
    });
    queue.on('error', () => undefined);
    await queue.connect();
  });

  afterAll(async () => {
    await proxy?.start().catch(() => undefined);
    await until(() => queue.isReady).catch(() => undefined);
    const admin = createClient();
    await admin.connect();
    for await (const keys of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
      if (keys.length > 0) await admin.unlink(keys);
    await admin.close();
    await store?.close();
    queue?.destroy();
    await proxy?.stop();
  });

  const sink: EventSink = {
    record: (e) => store.record(e),
    enqueue: async (e) => {
      try {
        await queue.xAdd(stream, '*', { uuid: e.uuid });
      } catch (err) {
        throw new QueueUnavailableError('out', 1, err);
      }
    },
  };
  const queued = async (): Promise<string[]> =>
    (await queue.xRange(stream, '-', '+')).map((m) => String(m.message['uuid']));

  it('keeps answering while Redis is away, then writes everything in order, once; one log line each way', async () => {
    const { log, lines } = capture();
    const spool = new EventSpool(sink, { maxEvents: 100, log, retryMs: 50 });
    const before = event(0);
    await spool.write(before, ['out']);
    expect(spool.size).toBe(0);

    await proxy.stop();
    const during = Array.from({ length: 20 }, (_, i) => event(i + 1));
    for (const e of during) await spool.write(e, ['out']);
    expect(spool.size).toBe(20);
    expect(spool.status()).toMatchObject({ events: 20, capacity: 100 });
    expect(spool.holds(during[5]?.uuid ?? '')).toEqual(during[5]);
    // a uuid the spool holds is refused like a stored one
    await expect(spool.write({ ...event(99), uuid: during[0]?.uuid ?? '' }, ['out'])).rejects.toThrow(
      DuplicateEventError,
    );

    await proxy.start();
    await until(() => spool.size === 0);
    // written after Redis came back, in the order they were accepted, each once
    expect(await queued()).toEqual([before, ...during].map((e) => e.uuid));
    for (const e of during) expect((await store.get(e.uuid))?.event.uuid).toBe(e.uuid);
    expect(spool.spooledTotal).toBe(20);
    expect(spool.drainedTotal).toBe(20);
    const spoolLines = lines.filter((l) => /spool/i.test(l.msg));
    expect(spoolLines.map((l) => l.msg.split(':')[0])).toEqual(['Redis unreachable', 'spool drained']);
    expect(spool.status().since).toBeUndefined();
  });

  it('answers SpoolFullError past maxevents, and takes events again once drained', async () => {
    const { log, lines } = capture();
    const spool = new EventSpool(sink, { maxEvents: 3, log, retryMs: 50, retryAfterSeconds: 7 });
    await proxy.stop();
    const kept = [event(1), event(2), event(3)];
    for (const e of kept) await spool.write(e, ['out']);
    const refused = spool.write(event(4), ['out']);
    await expect(refused).rejects.toThrow(SpoolFullError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 7, capacity: 3 });
    await expect(spool.write(event(5), ['out'])).rejects.toThrow(SpoolFullError);
    expect(lines.filter((l) => l.msg.startsWith('spool full'))).toHaveLength(1);

    await proxy.start();
    await until(() => spool.size === 0);
    const after = event(6);
    await spool.write(after, ['out']);
    expect(spool.size).toBe(0);
    expect((await queued()).slice(-4)).toEqual([...kept, after].map((e) => e.uuid));
  });

  it('stop() gives up at its deadline during an outage and says what was not written', async () => {
    const { log } = capture();
    const spool = new EventSpool(sink, { maxEvents: 10, log, retryMs: 50 });
    await proxy.stop();
    const held = [event(1), event(2)];
    for (const e of held) await spool.write(e, ['out']);
    const left = await spool.stop(300);
    expect(left).toEqual({ unwritten: 2, first: held[0]?.uuid, last: held[1]?.uuid });
    await expect(spool.write(event(3), ['out'])).rejects.toThrow(/shutting down/);
    await proxy.start();
  });
});

describe('EventSpool: a write that hangs or stops half-way', () => {
  /** History in memory; a queue whose next call can be held open or failed on purpose. */
  class StepSink implements EventSink {
    readonly store = new MemoryEventStore(100, 0);
    readonly queued: string[] = [];
    hold: Promise<void> | undefined;
    failQueue = false;
    record(e: FalcoEvent): Promise<void> {
      return this.store.record(e);
    }
    async enqueue(e: FalcoEvent): Promise<void> {
      if (this.hold !== undefined) await this.hold;
      if (this.failQueue) throw new QueueUnavailableError('out', 1, new Error('connection lost'));
      this.queued.push(e.uuid);
    }
  }
  const silent = pino({ level: 'silent' });

  it('a request waits at most timeoutMs; the late write is not doubled by the drain', async () => {
    const sink = new StepSink();
    let release!: () => void;
    sink.hold = new Promise((r) => (release = r));
    const spool = new EventSpool(sink, { maxEvents: 10, log: silent, timeoutMs: 100, retryMs: 20 });
    const slow = event(1);
    await spool.write(slow, ['out']); // answered after ~100 ms, spooled with its write still under way
    expect(spool.size).toBe(1);
    const next = event(2);
    await spool.write(next, ['out']); // joins the tail behind it
    sink.hold = undefined;
    release();
    await until(() => spool.size === 0);
    expect(sink.queued).toEqual([slow.uuid, next.uuid]);
  });

  it('an event recorded before its queue write failed is not recorded again', async () => {
    const sink = new StepSink();
    sink.failQueue = true;
    const spool = new EventSpool(sink, { maxEvents: 10, log: silent, retryMs: 20 });
    const e = event(1);
    await spool.write(e, ['out']);
    expect(spool.size).toBe(1);
    expect(await sink.store.get(e.uuid)).toBeDefined();
    sink.failQueue = false;
    await until(() => spool.size === 0);
    expect(sink.queued).toEqual([e.uuid]);
  });

  it('a refusal about the event itself (duplicate uuid) is not spooled', async () => {
    const sink = new StepSink();
    const spool = new EventSpool(sink, { maxEvents: 10, log: silent });
    const e = event(1);
    await spool.write(e, ['out']);
    await expect(spool.write(e, ['out'])).rejects.toThrow(DuplicateEventError);
    expect(spool.size).toBe(0);
  });
});
