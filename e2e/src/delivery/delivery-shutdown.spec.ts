import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { canConnect, Receiver, serviceAvailable, testEventBody } from '@falconer/testing';
import { RouterFleet, webhookYaml } from '../support/router-fleet';
import { freePort } from '../support/router-process';
import { uuidsIn } from './events';

// SIGTERM: stop accepting, finish in-flight sends up to the deadline; memory drains its queue,
// Redis leaves the rest queued for the next start.

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));
const REDIS = 'redis://127.0.0.1:6379/12';

describe('graceful shutdown', () => {
  const fleet = new RouterFleet();
  const receivers: Receiver[] = [];
  afterAll(async () => {
    await fleet.stopAll('SIGKILL');
    for (const r of receivers) await r.close();
  });

  it('memory: SIGTERM delivers what was accepted before exiting 0', async () => {
    const receiver = await Receiver.start(() => ({ status: 200, delayMs: 100 }));
    receivers.push(receiver);
    const router = await fleet.start({ configYaml: webhookYaml(`${receiver.url}/`) });
    const events = Array.from({ length: 40 }, (_, i) => testEventBody(i));
    for (const e of events) expect(await router.post(e.body)).toBe(200);
    // 40 events, 4 at a time, 100 ms each: about 1 s of work left when the signal comes
    const exit = await router.kill('SIGTERM');
    expect(exit.code).toBe(0);
    expect(new Set(receiver.requests.flatMap((q) => uuidsIn(q.text)))).toEqual(
      new Set(events.map((e) => e.uuid)),
    );
  }, 30_000);

  it.skipIf(!hasRedis)(
    'Redis: SIGTERM leaves the rest queued; the next start delivers it',
    async () => {
      const redis = createClient({ url: REDIS });
      await redis.connect();
      await redis.flushDb();
      try {
        const receiver = await Receiver.start(() => ({ status: 200, delayMs: 200 }));
        receivers.push(receiver);
        const port = await freePort();
        const options = { port, configYaml: webhookYaml(`${receiver.url}/`), env: { REDIS_URL: REDIS } };
        const first = await fleet.start(options);
        const events = Array.from({ length: 100 }, (_, i) => testEventBody(i));
        for (const e of events) expect(await first.post(e.body)).toBe(200);
        expect((await first.kill('SIGTERM')).code).toBe(0);
        // it did not wait to deliver all 100 (5 s of work): in-flight sends only, the rest stays queued
        const left = await redis.xLen('falconer:q:soc');
        expect(left).toBeGreaterThan(0);
        await fleet.start(options);
        const deadline = Date.now() + 20_000;
        const got = (): Set<string> => new Set(receiver.requests.flatMap((q) => uuidsIn(q.text)));
        while (got().size < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(got()).toEqual(new Set(events.map((e) => e.uuid)));
      } finally {
        await redis.flushDb();
        await redis.quit();
      }
    },
    60_000,
  );
});
