import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { Receiver, testEvent } from '@falconer/testing';
import { MemoryDeadLetterStore, newDeadLetter, type DeadLetterRecord } from './dead-letters';
import { createDispatcher } from './create-dispatcher';
import { DeliveryService, type DeliveryTarget } from './delivery-service';
import { OverloadedError, QueueUnavailableError } from './dispatcher';
import { MemoryQueueBackend } from './memory-queue';
import { readDeliverySettings } from './settings';
import { sleep, uuidsOf, waitUntil, webhookTarget } from './testing/harness';

// Real local HTTP receivers, real webhook output, real timers: the delivery contract end to end in one process.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(): Promise<Receiver> {
  const r = await Receiver.start();
  cleanups.push(() => r.close());
  return r;
}

async function dispatcher(targets: DeliveryTarget[], registry = new Registry()): Promise<DeliveryService> {
  const d = await createDispatcher({ targets, registry });
  await d.start();
  cleanups.push(() => d.stop(2_000));
  return d;
}

/** Delivered = answered 2xx; counts per uuid. */
function deliveredCounts(r: Receiver, okIndexes: Set<number>): Map<string, number> {
  const counts = new Map<string, number>();
  r.requests.forEach((req, i) => {
    if (!okIndexes.has(i)) return;
    for (const u of uuidsOf(req)) counts.set(u, (counts.get(u) ?? 0) + 1);
  });
  return counts;
}

describe('delivery with memory queues', () => {
  it('503 three times per event, then 200: every event delivered exactly once', async () => {
    const r = await receiver();
    const seen = new Map<string, number>();
    const ok = new Set<number>();
    r.respond((req, i) => {
      const u = uuidsOf(req)[0] as string;
      const n = (seen.get(u) ?? 0) + 1;
      seen.set(u, n);
      if (n <= 3) return { status: 503, body: 'busy' };
      ok.add(i);
      return { status: 200 };
    });
    const d = await dispatcher([webhookTarget('hook', r.url)]);
    const events = Array.from({ length: 20 }, (_, i) => testEvent(i));
    for (const e of events) await d.enqueue(e, ['hook']);
    await waitUntil(() => ok.size === 20, 20_000, '20 deliveries');
    await sleep(300);
    const counts = deliveredCounts(r, ok);
    expect(counts.size).toBe(20);
    for (const e of events) {
      expect(counts.get(e.uuid)).toBe(1);
      expect(seen.get(e.uuid)).toBe(4);
    }
    const [info] = await d.outputs();
    expect(info?.counters).toMatchObject({
      matched: 20,
      sent: 20,
      retried: 60,
      deadLettered: 0,
      failed: { server_error: 60 },
    });
    expect(info?.circuit).toBe('closed');
    expect(info?.queueDepth).toBe(0);
  }, 30_000);

  it('receiver down for 10 s during a 500-event burst: all 500 arrive once it is back, each once', async () => {
    const first = await Receiver.start();
    const port = first.port;
    await first.close();
    const d = await dispatcher([webhookTarget('hook', `http://127.0.0.1:${port}/`)]);
    const events = Array.from({ length: 500 }, (_, i) => testEvent(i));
    for (const e of events) await d.enqueue(e, ['hook']);
    await sleep(10_000);
    expect((await d.outputs())[0]?.counters.sent).toBe(0);
    expect((await d.outputs())[0]?.counters.failed.network).toBeGreaterThan(0);
    const back = await Receiver.start(undefined, port);
    cleanups.push(() => back.close());
    const uuids = (): Set<string> => new Set(back.requests.flatMap(uuidsOf));
    const backAt = Date.now();
    // the first success after the outage releases every event waiting out its backoff
    await waitUntil(() => uuids().size === 500, 15_000, 'all 500 events');
    expect(Date.now() - backAt).toBeLessThan(10_000);
    // whether the breaker opened depends on a failure landing after the 10 s mark; either way it ends closed
    await waitUntil(() => d.worker('hook')?.circuit() === 'closed', 1_000, 'breaker closed');
    expect(back.requests.length, 'requests (a duplicate would show here)').toBe(500);
    // the receiver counts a request before the worker has read its answer: wait for the bookkeeping
    await waitUntil(() => d.worker('hook')?.counts.sent === 500, 2_000, 'sent counter at 500');
    const [info] = await d.outputs();
    expect(info?.counters.sent).toBe(500);
    expect(info?.counters.deadLettered).toBe(0);
  }, 60_000);

  it('429 with Retry-After: 2 — nothing is sent to that output before 2 s have passed', async () => {
    const r = await receiver();
    r.respond((_req, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '2' }, body: 'slow down' } : { status: 200 },
    );
    const d = await dispatcher([webhookTarget('hook', r.url)]);
    const a = testEvent(1);
    await d.enqueue(a, ['hook']);
    await r.waitFor(1, 5_000);
    await sleep(300);
    const b = testEvent(2);
    await d.enqueue(b, ['hook']);
    await r.waitFor(3, 10_000);
    const t0 = (r.requests[0] as { at: number }).at;
    for (const req of r.requests.slice(1)) expect(req.at - t0).toBeGreaterThanOrEqual(2_000);
    expect(r.requests.slice(1).flatMap(uuidsOf).sort()).toEqual([a.uuid, b.uuid].sort());
    expect((await d.outputs())[0]?.counters.failed.rate_limited).toBe(1);
  }, 20_000);

  it('a receiver that never answers: the timeout fires, the queue stays bounded, other outputs are not slowed', async () => {
    const hang = await receiver();
    hang.respond(() => ({ status: 200, hang: true }));
    const fine = await receiver();
    const d = await dispatcher([
      webhookTarget('stuck', hang.url, { delivery: { timeout: '1s', concurrency: 2, queuesize: 60 } }),
      webhookTarget('fine', fine.url),
    ]);
    const started = Date.now();
    for (let i = 0; i < 50; i++) await d.enqueue(testEvent(i), ['stuck', 'fine']);
    await fine.waitFor(50, 5_000);
    const fineTook = Date.now() - started;
    expect(fineTook).toBeLessThan(2_000);
    // only `concurrency` requests are ever open at the hanging destination
    await sleep(1_500);
    expect(d.worker('stuck')?.inFlight).toBeLessThanOrEqual(2);
    const [stuck] = await d.outputs();
    expect(stuck?.counters.failed.timeout).toBeGreaterThanOrEqual(2);
    expect(stuck?.counters.sent).toBe(0);
    expect(stuck?.lastError?.reason).toBe('timeout');
    // bounded: 60 per output; once full, ingest is told to come back later instead of memory growing
    for (let i = 0; i < 10; i++) await d.enqueue(testEvent(100 + i), ['stuck']);
    await expect(d.enqueue(testEvent(999), ['stuck', 'fine'])).rejects.toBeInstanceOf(OverloadedError);
    expect(stuck?.queueDepth).toBeLessThanOrEqual(60);
    // all or none: the refused event did not reach the healthy output either
    await sleep(200);
    expect(fine.requests.length).toBe(50);
    const stop = await d.stop(500);
    expect(stop.unsent).toBe(60);
  }, 20_000);

  it('a non-retryable 400 is dead-lettered with its reason and excerpt; replay delivers it once the receiver is fixed', async () => {
    const r = await receiver();
    let fixed = false;
    r.respond(() =>
      fixed ? { status: 200 } : { status: 400, body: '{"error":"field evt.num is not allowed"}' },
    );
    const d = await dispatcher([webhookTarget('hook', r.url)]);
    const e = testEvent(7);
    await d.enqueue(e, ['hook']);
    await waitUntil(async () => (await d.deadLetters.count()) === 1, 5_000, 'a dead letter');
    expect(r.requests.length).toBe(1);
    const { total, results } = await d.listDeadLetters({ offset: 0, limit: 10 });
    expect(total).toBe(1);
    expect(results[0]).toMatchObject({ output: 'hook', reason: 'client_error', attempts: 1 });
    expect(results[0]?.detail).toContain('HTTP 400');
    expect(results[0]?.detail).toContain('evt.num is not allowed');
    expect(results[0]?.event.uuid).toBe(e.uuid);
    fixed = true;
    expect(await d.replay({ ids: [results[0]?.id as string] })).toEqual({ replayed: 1 });
    await r.waitFor(2, 5_000);
    expect(uuidsOf(r.requests[1] as never)).toEqual([e.uuid]);
    await waitUntil(async () => (await d.outputs())[0]?.counters.sent === 1, 2_000, 'sent counter');
    expect(await d.deadLetters.count()).toBe(0);
  }, 15_000);

  it('events that fail every attempt are dead-lettered with the last reason after `retries` attempts', async () => {
    const r = await receiver();
    r.respond(() => ({ status: 502, body: 'bad gateway' }));
    const d = await dispatcher([
      webhookTarget('hook', r.url, { delivery: { retries: 3, backoff: { base: '20ms' } } }),
    ]);
    await d.enqueue(testEvent(1), ['hook']);
    await waitUntil(async () => (await d.deadLetters.count()) === 1, 5_000, 'a dead letter');
    expect(r.requests.length).toBe(3);
    const { results } = await d.listDeadLetters({ offset: 0, limit: 1 });
    expect(results[0]).toMatchObject({ reason: 'server_error', attempts: 3 });
  }, 10_000);

  it('intermittent failures between successes never open the breaker; a real outage does, and a success closes it', async () => {
    const r = await receiver();
    let down = false;
    r.respond((_req, i) => (down || i % 2 === 1 ? { status: 500 } : { status: 200 }));
    const d = await dispatcher([
      webhookTarget('hook', r.url, {
        delivery: {
          breaker: { after: '1s', minfailures: 3, probe: '300ms' },
          backoff: { base: '10ms', cap: '50ms' },
          retries: 1000,
        },
      }),
    ]);
    const circuits = new Set<string>();
    const sampler = setInterval(() => circuits.add(d.worker('hook')?.circuit() ?? ''), 10);
    cleanups.push(() => Promise.resolve(clearInterval(sampler)));
    // ~3 s of every other request failing: far more than 3 failures and 1 s, but successes in between
    const until = Date.now() + 3_000;
    for (let i = 0; Date.now() < until; i++) {
      await d.enqueue(testEvent(i), ['hook']);
      await sleep(20);
    }
    expect(circuits).toEqual(new Set(['closed']));
    down = true;
    await d.enqueue(testEvent(-1), ['hook']);
    await waitUntil(() => d.worker('hook')?.circuit() === 'open', 5_000, 'breaker open');
    // while open: one probe every 300 ms, not a stream of retries
    const before = r.requests.length;
    await sleep(1_000);
    expect(r.requests.length - before).toBeLessThanOrEqual(4);
    down = false;
    await waitUntil(() => d.worker('hook')?.circuit() === 'closed', 2_000, 'breaker closed');
    await waitUntil(async () => (await d.outputs())[0]?.queueDepth === 0, 5_000, 'queue drained');
  }, 20_000);

  it('batches events for an output that supports it', async () => {
    const r = await receiver();
    const d = await dispatcher([
      webhookTarget('hook', r.url, { settings: { batch: true, batchsize: 50, flushinterval: '200ms' } }),
    ]);
    const events = Array.from({ length: 200 }, (_, i) => testEvent(i));
    for (const e of events) await d.enqueue(e, ['hook']);
    await waitUntil(() => new Set(r.requests.flatMap(uuidsOf)).size === 200, 5_000, '200 events');
    expect(r.requests.length).toBeLessThanOrEqual(8);
    for (const req of r.requests) expect(uuidsOf(req).length).toBeLessThanOrEqual(50);
  }, 10_000);

  it('aggregation: identical alerts within the window become one message with a count', async () => {
    const r = await receiver();
    const d = await dispatcher([webhookTarget('slacky', r.url, { aggregate: { window: '1s' } })]);
    for (let i = 0; i < 10; i++) await d.enqueue(testEvent(i), ['slacky']);
    await d.enqueue(testEvent(50, { hostname: 'node-2' }), ['slacky']);
    await r.waitFor(2, 2_000);
    await sleep(200);
    expect(r.requests.length).toBe(2);
    await r.waitFor(3, 3_000);
    const outputs = r.requests.map((q) => (JSON.parse(q.text) as { output: string }).output);
    expect(outputs[0]).toBe('Terminal shell in container #0');
    expect(outputs[1]).toBe('Terminal shell in container #50');
    expect(outputs[2]).toBe('Terminal shell in container #9 (×9 in 1s)');
    // a quiet window closes: nothing more
    await sleep(2_200);
    expect(r.requests.length).toBe(3);
  }, 10_000);

  it('records delivery states in the store: retrying, then delivered or dead-lettered', async () => {
    const r = await receiver();
    r.respond((req, i) =>
      req.text.includes('#2') ? { status: 400, body: 'no' } : i === 0 ? { status: 503 } : { status: 200 },
    );
    const states: { uuid: string; state: string; reason?: string; attempts: number }[] = [];
    const store = {
      setDelivery: (uuid: string, s: { state: string; reason?: string; attempts: number }) => {
        states.push({
          uuid,
          state: s.state,
          attempts: s.attempts,
          ...(s.reason ? { reason: s.reason } : {}),
        });
        return Promise.resolve(true);
      },
    };
    const d = await createDispatcher({ targets: [webhookTarget('hook', r.url)], store });
    await d.start();
    cleanups.push(() => d.stop(1_000));
    const a = testEvent(1);
    await d.enqueue(a, ['hook']);
    await waitUntil(() => states.some((x) => x.state === 'delivered'), 5_000, 'delivered state');
    const b = testEvent(2);
    await d.enqueue(b, ['hook']);
    await waitUntil(() => states.some((x) => x.state === 'dead_lettered'), 5_000, 'dead-lettered state');
    expect(states).toEqual([
      { uuid: a.uuid, state: 'retrying', reason: 'server_error', attempts: 1 },
      { uuid: a.uuid, state: 'delivered', reason: 'ok', attempts: 2 },
      { uuid: b.uuid, state: 'dead_lettered', reason: 'client_error', attempts: 1 },
    ]);
  }, 10_000);

  it('exposes falcosidekick and falconer metrics per output', async () => {
    const r = await receiver();
    const registry = new Registry();
    const d = await dispatcher([webhookTarget('hook', r.url)], registry);
    for (let i = 0; i < 3; i++) await d.enqueue(testEvent(i), ['hook']);
    await r.waitFor(3, 5_000);
    await waitUntil(async () => (await d.outputs())[0]?.counters.sent === 3, 2_000, 'sent');
    const text = await registry.metrics();
    expect(text).toContain('falcosecurity_falcosidekick_outputs_total{destination="webhook",status="ok"} 3');
    expect(text).toContain('falconer_delivery_sent_total{output="hook",type="webhook"} 3');
    expect(text).toContain('falconer_delivery_queue_depth{output="hook",type="webhook"} 0');
    expect(text).toContain('falconer_delivery_oldest_queued_age_seconds{output="hook",type="webhook"} 0');
    expect(text).toMatch(/falconer_delivery_latency_seconds_count\{output="hook",type="webhook"\} 3/);
    expect(text).toContain('falconer_delivery_failed_total{output="hook",type="webhook",reason="timeout"} 0');
  }, 10_000);
});

describe('replaying dead letters when the stores fail', () => {
  it('a record taken for replay that can be neither queued nor put back is counted and logged with its event', async () => {
    class Unreachable extends MemoryQueueBackend {
      override push(): Promise<void> {
        return Promise.reject(new QueueUnavailableError('hook', 5, new Error('down')));
      }
    }
    class Failing extends MemoryDeadLetterStore {
      failAdd = false;
      override add(records: readonly DeadLetterRecord[]): Promise<void> {
        return this.failAdd ? Promise.reject(new Error('store down')) : super.add(records);
      }
    }
    const dead = new Failing();
    const logged: { obj: object; msg: string }[] = [];
    const log = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (obj: object, msg: string) => logged.push({ obj, msg }),
    };
    const svc = new DeliveryService(
      new Unreachable(new Map([['hook', 10]])),
      dead,
      [
        {
          target: webhookTarget('hook', 'http://127.0.0.1:9'),
          settings: readDeliverySettings({}, 'hook').settings,
        },
      ],
      { registry: new Registry(), log },
    );
    const events = [testEvent(1), testEvent(2)];
    await dead.add(events.map((e) => newDeadLetter('hook', e, 'server_error', '503', 3, new Date())));
    // the queue refuses: both go back
    expect((await svc.replay({})).replayed).toBe(0);
    expect(await dead.count()).toBe(2);
    // the queue refuses and the dead-letter store fails too: counted and logged, not silent
    dead.failAdd = true;
    await expect(svc.replay({})).rejects.toThrow('store down');
    const lost = (await svc.metrics.lost.get()).values.filter((v) => v.labels['reason'] === 'replay_failed');
    expect(lost.reduce((a, v) => a + v.value, 0)).toBe(2);
    expect(logged.filter((l) => l.msg.includes('could not be queued nor put back'))).toHaveLength(2);
  });
});
