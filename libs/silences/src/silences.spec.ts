import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { FalcoEvent } from '@falconer/contracts';
import { canConnect, REDIS_URL, serviceAvailable } from '@falconer/testing';
import { MemorySilenceBackend, RedisSilenceBackend, type SilenceBackend } from './silence-backend';
import { readCreateRequest, SilenceRequestError } from './silence-request';
import { Silences, TooManySilencesError } from './silences';

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));

const T0 = Date.parse('2026-11-30T10:00:00.400Z');
const event = (rule: string): FalcoEvent => ({
  uuid: randomUUID(),
  output: 'x',
  priority: 'Notice',
  rule,
  time: '2026-11-30T10:00:00Z',
  output_fields: Object.assign(Object.create(null) as Record<string, string>, { 'k8s.ns.name': 'shop' }),
  source: 'syscall',
  tags: [],
  hostname: 'worker-1',
});
const SHELL = { rules: { include: ['Terminal shell in container'] } };

describe('readCreateRequest', () => {
  const ctx = { outputs: ['slack', 'webhook'], nowMs: T0, createdBy: 'alice', id: 'id-1' };

  it('starts at this second and ends at now + duration, rounded up to a whole second', () => {
    expect(
      readCreateRequest({ filter: SHELL, duration: '1h', outputs: ['slack'], comment: 'c' }, ctx),
    ).toEqual({
      id: 'id-1',
      filter: SHELL,
      matcher: 'rule is [Terminal shell in container]',
      outputs: ['slack'],
      startsAt: '2026-11-30T10:00:00Z',
      endsAt: '2026-11-30T11:00:01Z',
      createdBy: 'alice',
      comment: 'c',
    });
    expect(readCreateRequest({ filter: SHELL, endsAt: '2026-11-30T12:30:00+02:00' }, ctx).endsAt).toBe(
      '2026-11-30T10:30:00Z',
    );
  });

  it('lists every problem, the first one in `field`', () => {
    let err: unknown;
    try {
      readCreateRequest({ filter: { tags: 'x' }, outputs: ['slack', 'nope'], duration: '0s', extra: 1 }, ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SilenceRequestError);
    expect((err as SilenceRequestError).field).toBe('extra');
    expect((err as Error).message).toMatch(/filter\.tags: expected/);
    expect((err as Error).message).toMatch(
      /outputs\[1\]: unknown output "nope" \(configured: slack, webhook\)/,
    );
    expect((err as Error).message).toMatch(/duration: must be at least 1s/);
  });

  it('refuses a matcher larger than 16 KiB', () => {
    const big = { hostnames: Array.from({ length: 2_000 }, (_, i) => `host-${i}`) };
    expect(() => readCreateRequest({ filter: big, duration: '1h' }, ctx)).toThrow(/larger than 16384 bytes/);
  });

  it('refuses a silence longer than 366 days', () => {
    expect(() => readCreateRequest({ filter: SHELL, duration: '400d' }, ctx)).toThrow(/at most 366d/);
  });
});

function scenarios(name: string, backend: () => Promise<SilenceBackend>): void {
  describe(`Silences (${name})`, () => {
    const open: Silences[] = [];
    afterAll(async () => {
      for (const s of open) await s.close();
    });
    const start = async (b: SilenceBackend, clock: { now: number }, extra = {}): Promise<Silences> => {
      const s = await Silences.start({
        backend: b,
        outputs: ['slack', 'webhook'],
        now: () => clock.now,
        refreshMs: 0,
        registry: new Registry(),
        ...extra,
      });
      open.push(s);
      return s;
    };

    it('ends exactly at endsAt, whatever the refresh', async () => {
      const clock = { now: T0 };
      const s = await start(await backend(), clock);
      const created = await s.create({ filter: SHELL, duration: '10s' }, 'alice');
      expect(s.decide(event('Terminal shell in container'), ['slack']).send).toEqual([]);
      clock.now = Date.parse(created.endsAt) - 1;
      expect(s.decide(event('Terminal shell in container'), ['slack']).send).toEqual([]);
      clock.now = Date.parse(created.endsAt);
      expect(s.decide(event('Terminal shell in container'), ['slack']).send).toEqual(['slack']);
      expect((await s.list()).map((x) => [x.id, x.state])).toEqual([[created.id, 'expired']]);
      expect(s.silencedCount('slack')).toBe(2);
    });

    it('expires early, lists active before expired, and removes what expired long ago', async () => {
      const clock = { now: T0 };
      const s = await start(await backend(), clock, { keepExpiredMs: 60_000 });
      const a = await s.create({ filter: SHELL, duration: '1h' }, 'alice');
      const b = await s.create({ filter: SHELL, duration: '2h' }, 'alice');
      const ended = await s.expire(a.id, 'bob');
      expect(ended).toMatchObject({ endsAt: '2026-11-30T10:00:00Z', expiredBy: 'bob' });
      expect((await s.list()).map((x) => [x.id, x.state])).toEqual([
        [b.id, 'active'],
        [a.id, 'expired'],
      ]);
      expect(await s.expire('nope', 'bob')).toBeUndefined();
      clock.now += 61_000;
      expect((await s.list()).map((x) => x.id)).toEqual([b.id]);
    });

    it('keeps at most maxSilences', async () => {
      const s = await start(await backend(), { now: T0 }, { maxSilences: 1 });
      await s.create({ filter: SHELL, duration: '1h' }, 'alice');
      await expect(s.create({ filter: SHELL, duration: '1h' }, 'alice')).rejects.toBeInstanceOf(
        TooManySilencesError,
      );
    });
  });
}

scenarios('memory', () => Promise.resolve(new MemorySilenceBackend()));

describe.skipIf(!hasRedis)('on Redis', () => {
  const run = `falconer-test:silences:${randomUUID().slice(0, 8)}:`;
  let n = 0;
  const connect = (prefix = `${run}${n++}:`): Promise<RedisSilenceBackend> =>
    RedisSilenceBackend.connect({ url: REDIS_URL, prefix });
  afterAll(async () => {
    const admin = createClient({ url: REDIS_URL });
    await admin.connect();
    const keys: string[] = [];
    for await (const ks of admin.scanIterator({ MATCH: `${run}*`, COUNT: 1000 })) keys.push(...ks);
    if (keys.length > 0) await admin.unlink(keys);
    await admin.close();
  });

  scenarios('redis', () => connect());

  it('a silence created on one replica applies on another, and so does its early expiry', async () => {
    const prefix = `${run}shared:`;
    const clock = { now: T0 };
    const opts = { outputs: ['slack'], now: () => clock.now, refreshMs: 50 };
    const a = await Silences.start({ ...opts, backend: await connect(prefix), registry: new Registry() });
    const b = await Silences.start({ ...opts, backend: await connect(prefix), registry: new Registry() });
    try {
      const created = await a.create({ filter: SHELL, duration: '1h' }, 'alice');
      await expect
        .poll(() => b.decide(event('Terminal shell in container'), ['slack']).muted)
        .toEqual([{ output: 'slack', silence: created.id }]);
      expect((await b.list()).map((s) => s.createdBy)).toEqual(['alice']);
      await a.expire(created.id, 'alice');
      await expect
        .poll(() => b.decide(event('Terminal shell in container'), ['slack']).send)
        .toEqual(['slack']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
