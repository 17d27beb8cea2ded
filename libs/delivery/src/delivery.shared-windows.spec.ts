import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { canConnect, Receiver, REDIS_URL, serviceAvailable, testEvent } from '@falconer/testing';
import { createDispatcher } from './create-dispatcher';
import { type DeliveryService } from './delivery-service';
import { sleep, webhookTarget } from './testing/harness';

// Two dispatchers (two replicas) on one real Redis with one aggregated output: an alert folded on B
// counts in the window A opened; one message, then one summary for the whole window (ADR 0009).

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));

describe.skipIf(!hasRedis)('aggregation windows shared by replicas through Redis', () => {
  const prefix = `test:windows:${randomUUID()}`;
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    const admin = createClient({ url: REDIS_URL });
    await admin.connect();
    for await (const keys of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
      if (keys.length > 0) await admin.unlink(keys);
    await admin.close();
  });

  async function replica(url: string, n: number): Promise<DeliveryService> {
    const d = await createDispatcher({
      targets: [webhookTarget('slacky', url, { aggregate: { window: '3s' } })],
      redisUrl: REDIS_URL,
      keyPrefix: prefix,
      consumerName: `replica-${n}`,
    });
    await d.start();
    cleanups.push(() => d.stop(1_000));
    return d;
  }

  it('identical alerts on A and B within one window: one message and one summary counting both', async () => {
    const r = await Receiver.start(() => ({ status: 200 }));
    cleanups.push(() => r.close());
    const [a, b] = [await replica(r.url, 1), await replica(r.url, 2)];
    await a.enqueue(testEvent(0), ['slacky']);
    for (let i = 1; i < 10; i++) await (i % 2 === 0 ? a : b).enqueue(testEvent(i), ['slacky']);
    await r.waitFor(2, 10_000);
    await sleep(1_500);
    const outputs = r.requests.map((q) => (JSON.parse(q.text) as { output: string }).output);
    expect(outputs).toEqual(['Terminal shell in container #0', 'Terminal shell in container #9 (×9 in 3s)']);
    // a quiet window closes: nothing more
    await sleep(4_000);
    expect(r.requests.length).toBe(2);
  }, 30_000);
});
