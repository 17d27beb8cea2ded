import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect, Receiver, serviceAvailable, testEventBody } from '@falconer/testing';
import { RouterFleet, ownRedisDatabase, webhookYaml } from '../support/router-fleet';
import type { RouterProcess } from '../support/router-process';
import { uuidsIn } from './events';

// Two built routers on one Redis, one webhook output: the consumer group shares the work, each event
// reaches the webhook once.

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));
const REDIS = 'redis://127.0.0.1:6379/14';

describe.skipIf(!hasRedis)('two routers on one Redis', () => {
  ownRedisDatabase(REDIS);
  let receiver: Receiver;
  const fleet = new RouterFleet(() => ({
    configYaml: webhookYaml(`${receiver.url}/falco`),
    env: { REDIS_URL: REDIS },
  }));

  beforeAll(async () => {
    receiver = await Receiver.start(() => ({ status: 200, delayMs: 5 }));
  });
  afterAll(async () => {
    await fleet.stopAll();
    await receiver.close();
  });

  it('each event reaches the webhook exactly once', async () => {
    const [a, b] = (await fleet.startMany(2)) as [RouterProcess, RouterProcess];
    const sent: string[] = [];
    for (let i = 0; i < 400; i += 8) {
      const batch = Array.from({ length: 8 }, (_, k) => testEventBody(i + k));
      const statuses = await Promise.all(batch.map((e, k) => (k % 2 === 0 ? a : b).post(e.body)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      sent.push(...batch.map((e) => e.uuid));
    }
    const deadline = Date.now() + 20_000;
    while (receiver.requests.length < 400 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1_000));
    const got = receiver.requests.flatMap((q) => uuidsIn(q.text));
    expect(got.length).toBe(400);
    expect(new Set(got)).toEqual(new Set(sent));
    // both replicas delivered a share
    const metric = async (r: RouterProcess): Promise<number> => {
      const text = await (await fetch(`${r.url}/metrics`)).text();
      const m = /falconer_delivery_sent_total\{output="soc",type="webhook"\} (\d+)/.exec(text);
      return Number(m?.[1] ?? 0);
    };
    const [sa, sb] = [await metric(a), await metric(b)];
    expect(sa + sb).toBe(400);
    expect(sa).toBeGreaterThan(0);
    expect(sb).toBeGreaterThan(0);
  }, 60_000);
});
