import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canConnect,
  Receiver,
  seededRandom,
  serviceAvailable,
  testSeed,
  testEventBody,
} from '@falconer/testing';
import { RouterFleet, ownRedisDatabase, webhookYaml } from '../support/router-fleet';
import { freePort, type RouterProcess } from '../support/router-process';
import { uuidsIn } from './events';

// The built router, real Redis, a real HTTP receiver: SIGKILLs at several random points of a steady
// stream (seeded: SEED=n replays a run), each followed by a restart on the same port, lose no event that
// was answered 200. Some kills land while the restarted router is still working through the pending
// entries of the one before — the moment a queue that "stops reading after a restart" would show.

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));
/** A Redis database of its own: the router has no key-prefix setting, so the test owns db 11. */
const REDIS = 'redis://127.0.0.1:6379/11';
const KILLS = 4;

describe.skipIf(!hasRedis)('delivery survives SIGKILL with Redis', () => {
  const redis = ownRedisDatabase(REDIS);
  let receiver: Receiver;
  let port = 0;
  // one port for every restart: the same delivery consumer name, as a restarted pod would have
  const fleet = new RouterFleet(() => ({
    port,
    configYaml: webhookYaml(`${receiver.url}/falco`),
    env: { REDIS_URL: REDIS },
  }));

  beforeAll(async () => {
    receiver = await Receiver.start(() => ({ status: 200, delayMs: 20 }));
    port = await freePort();
  });
  afterAll(async () => {
    await fleet.stopAll('SIGKILL');
    await receiver.close();
  });

  /** Waits (bounded) for a condition that only the machine's speed delays. */
  const until = async (done: () => boolean, ms = 30_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  };

  it('kill -9 at random points, restart: every event that got a 200 reaches the receiver at least once', async () => {
    const seed = testSeed(13);
    const random = seededRandom(seed);
    const start = (): Promise<RouterProcess> => fleet.start();
    let router = await start();
    const accepted: string[] = [];
    let refused = 0;
    let n = 0;
    let streaming = true;
    // a steady stream from a client of its own: 4 posts at a time, as long as the test runs
    const stream = (async () => {
      while (streaming) {
        const batch = Array.from({ length: 4 }, () => testEventBody(n++));
        const statuses = await Promise.all(batch.map((e) => router.post(e.body)));
        statuses.forEach((s, i) =>
          s === 200 ? accepted.push((batch[i] as { uuid: string }).uuid) : refused++,
        );
        if (statuses.some((s) => s !== 200)) await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const kills: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      // the first kill after a real backlog has built up; later ones anywhere from "still reading the
      // pending entries of the last crash" to "well into steady state"
      const after = k === 0 ? 1_000 + Math.floor(random() * 1_000) : Math.floor(random() * 1_500);
      await new Promise((r) => setTimeout(r, after));
      // however slow the machine: the first kill finds a backlog of accepted events
      if (k === 0) await until(() => accepted.length > 50);
      const killed = await router.kill('SIGKILL');
      expect(killed.signal).toBe('SIGKILL');
      kills.push(`${after} ms (stream ${await redis.xLen('falconer:q:soc')})`);
      await new Promise((r) => setTimeout(r, Math.floor(random() * 500)));
      router = await start();
    }
    const beforeLastRestart = accepted.length;
    await new Promise((r) => setTimeout(r, 1_500));
    await until(() => accepted.length > beforeLastRestart); // the last restarted router takes events too
    streaming = false;
    await stream;

    const got = (): Set<string> => new Set(receiver.requests.flatMap((q) => uuidsIn(q.text)));
    const deadline = Date.now() + 20_000;
    // one parse of the received bodies per look (the receiver shares this process's event loop)
    const allArrived = (): boolean => {
      const seen = got();
      return accepted.every((u) => seen.has(u));
    };
    while (!allArrived() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const arrived = got();
    const missing = accepted.filter((u) => !arrived.has(u));
    const duplicates = receiver.requests.length - arrived.size;
    console.info(
      `SIGKILL e2e (seed ${seed}): ${accepted.length} events answered 200, ${refused} refused while down, ` +
        `kills after ${kills.join(', ')}; ${arrived.size} distinct arrived, ${duplicates} duplicates`,
    );
    expect(beforeLastRestart).toBeGreaterThan(50);
    expect(accepted.length).toBeGreaterThan(beforeLastRestart);
    const state = `stream length ${await redis.xLen('falconer:q:soc')}, pending ${JSON.stringify(await redis.xPending('falconer:q:soc', 'falconer'))}`;
    expect(
      missing.length,
      `missing ${missing.length} (seed ${seed}); ${state}; restarted router said:\n${router.output().slice(-4000)}`,
    ).toBe(0);
  }, 90_000);
});
