import { afterEach, describe, expect, it } from 'vitest';
import { Receiver } from '@falconer/testing';
import { chromiumInstalled, launchChromium, openPage } from '../dashboard/browser';
import { falcoEvent, uuidsIn } from '../delivery/events';
import { RedisServer } from '../support/redis-server';
import { launchRouter, type ManagedRouter } from '../support/router-control';

// Redis goes away under a steady stream and comes back (ADR 0013). The test's own redis-server keeps an
// append-only file fsynced on every write, so what it held before the kill is there again after the
// restart, as with a production Redis that persists; what the router accepted meanwhile is in its spool.

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return;
    await sleep(100);
  }
}

const PERSISTENT = ['--appendonly', 'yes', '--appendfsync', 'always'];

interface Post {
  uuid: string;
  status: number;
  retryAfter: string | null;
  body: string;
}

/** POSTs one event; status 0 when nothing answered. */
async function post(router: ManagedRouter, n: number): Promise<Post> {
  const e = falcoEvent(n);
  try {
    const res = await fetch(`${router.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: e.body,
    });
    return {
      uuid: e.uuid,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: await res.text(),
    };
  } catch (err) {
    return { uuid: e.uuid, status: 0, retryAfter: null, body: String(err) };
  }
}

/** One log line per pino message matching `re`. */
const logLines = (router: ManagedRouter, re: RegExp): string[] =>
  router
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { msg: string }).msg)
    .filter((m) => re.test(m));

describe('Redis outage: the router spools what it accepts and writes it when Redis is back', () => {
  let redis: RedisServer | undefined;
  let receiver: Receiver | undefined;
  let router: ManagedRouter | undefined;

  afterEach(async () => {
    await router?.kill('SIGKILL');
    await receiver?.close();
    await redis?.stop();
    router = receiver = redis = undefined;
  });

  const start = async (env: Record<string, string> = {}): Promise<ManagedRouter> => {
    redis = await RedisServer.start(PERSISTENT);
    receiver = await Receiver.start(() => ({ status: 200 }));
    router = await launchRouter({
      configYaml: `outputs:\n  - name: soc\n    type: webhook\n    address: ${receiver.url}/falco\n`,
      env: { REDIS_URL: `${redis.url}/0`, UI_ENABLED: 'true', ...env },
    });
    return router;
  };
  const delivered = (): string[] => receiver?.requests.flatMap((q) => uuidsIn(q.text)) ?? [];

  /** Every accepted event is in the history and reached the webhook exactly once. */
  const expectAllArrived = async (r: ManagedRouter, accepted: string[]): Promise<void> => {
    await until(() => new Set(delivered()).size >= accepted.length, 60_000);
    await sleep(1000); // a late duplicate would arrive now
    const got = delivered();
    expect(new Set(got)).toEqual(new Set(accepted));
    expect(got.length).toBe(accepted.length);
    for (const uuid of accepted) expect((await r.api(`/api/v1/events/${uuid}`)).status).toBe(200);
  };

  it('Redis stopped for 10 s during a steady stream: no 503, everything in history and delivered once; healthz, metrics and the dashboard say the spool is in use', async () => {
    const r = await start();
    const posts: Post[] = [];
    let streaming = true;
    const stream = (async () => {
      for (let n = 0; streaming && r.child.exitCode === null; n++) {
        posts.push(await post(r, n));
        await sleep(40);
      }
    })();
    let haltedAt = 0;
    let resumedAt = 0;
    try {
      await sleep(3000);
      await redis?.halt();
      haltedAt = posts.length;
      const haltTime = Date.now();
      await sleep(2000);

      // during the outage: healthz is degraded (200, so a liveness probe keeps the spool), metrics count it
      const health = await r.api<{
        status: string;
        failing: string;
        spool: { events: number; capacity: number };
      }>('/healthz');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('degraded');
      expect(health.body.failing).toBe('store');
      expect(health.body.spool.events).toBeGreaterThan(0);
      expect(health.body.spool.capacity).toBe(100_000);
      const metrics = await (await fetch(`${r.url}/metrics`)).text();
      expect(metrics).toMatch(/^falconer_spool_events [1-9]\d*$/m);
      expect(metrics).toMatch(/^falconer_spool_capacity 100000$/m);
      expect(metrics).toMatch(/^falconer_spool_spooled_total [1-9]\d*$/m);
      // a history query answers 503 with a reason instead of waiting for Redis
      const query = await r.api<{ error: string; message: string }>('/api/v1/events/search');
      expect(query.status).toBe(503);
      expect(query.body.error).toBe('history_unavailable');
      expect(query.body.message).toMatch(/Redis/);

      // the dashboard shows it, in a real browser
      if (chromiumInstalled()) {
        const browser = await launchChromium();
        try {
          const { page } = await openPage(browser);
          await page.goto(`${r.url}/ui/`);
          const banner = page.getByTestId('spool-banner');
          await banner.waitFor({ state: 'visible', timeout: 20_000 });
          expect(await banner.textContent()).toMatch(
            /Spooling.*Redis is unreachable.*of 100,000 accepted events/,
          );
        } finally {
          await browser.close();
        }
      }

      await sleep(Math.max(0, haltTime + 10_000 - Date.now()));
      await redis?.resume();
      resumedAt = posts.length;
      await until(
        async () => (await r.api<{ spool?: unknown }>('/healthz')).body.spool === undefined,
        60_000,
      );
      await sleep(2000);
    } finally {
      streaming = false;
      await stream;
    }

    expect(resumedAt - haltedAt).toBeGreaterThan(20); // the stream went on through the outage
    expect(posts.filter((p) => p.status !== 200)).toEqual([]);
    await expectAllArrived(
      r,
      posts.map((p) => p.uuid),
    );
    // one line when spooling starts, one when it has drained; not one per event
    expect(logLines(r, /^Redis unreachable: accepted events are spooled/)).toHaveLength(1);
    expect(logLines(r, /^spool drained/)).toHaveLength(1);
    const after = await (await fetch(`${r.url}/metrics`)).text();
    expect(after).toMatch(/^falconer_spool_events 0$/m);
  }, 180_000);

  it('a tiny spool: 503 with Retry-After past the bound, and everything answered 200 still arrives', async () => {
    const r = await start({ REDIS_SPOOL_MAXEVENTS: '5' });
    const before = [await post(r, 0), await post(r, 1)];
    await redis?.halt();
    const during: Post[] = [];
    for (let n = 2; n < 14; n++) during.push(await post(r, n));
    expect(during.slice(0, 5).map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    const refused = during.slice(5);
    for (const p of refused) {
      expect(p.status).toBe(503);
      expect(Number(p.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(p.body)).toMatchObject({ error: 'spool_full' });
    }
    // healthz says ingest is refusing now
    expect((await r.api('/healthz')).status).toBe(503);

    await redis?.resume();
    await until(async () => (await r.api<{ spool?: unknown }>('/healthz')).body.spool === undefined, 60_000);
    const after = [await post(r, 20)];
    const accepted = [...before, ...during, ...after].filter((p) => p.status === 200).map((p) => p.uuid);
    expect(accepted).toHaveLength(8);
    await expectAllArrived(r, accepted);
    expect(logLines(r, /^spool full/)).toHaveLength(1);
  }, 120_000);

  it('SIGTERM during an outage: shutdown ends within its grace period and says what was not written', async () => {
    const r = await start();
    await redis?.halt();
    for (let n = 0; n < 3; n++) expect((await post(r, n)).status).toBe(200);
    const exit = await r.kill('SIGTERM');
    expect(exit.code).toBe(0);
    const lost = r
      .output()
      .split('\n')
      .filter((l) => l.includes('could not be written before shutdown'))
      .map((l) => JSON.parse(l) as { unwritten: number });
    expect(lost).toHaveLength(1);
    expect(lost[0]?.unwritten).toBe(3);
  }, 120_000);
});
