import { createOutput } from '@falconer/outputs-core';
import { SAMPLE_EVENT_JSON, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { canConnect, freePort, serviceAvailable } from '@falconer/testing';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOutput } from './redis.descriptor';

const signal = (): AbortSignal => new AbortController().signal;
const hasRedis = await serviceAvailable('Redis on 127.0.0.1:6379', () => canConnect(6379));

function redis(settings: Record<string, unknown>) {
  return createOutput(redisOutput, { name: 'redis', type: 'redis', path: 'redis', settings }, {});
}

describe('Redis output settings', () => {
  it('address is host:port; a redis:// URL is pointed at redis.url', () => {
    expect(redis({ address: 'redis://127.0.0.1:6379/0' }).errors).toEqual([
      "redis.address: expected host:port (falcosidekick's Redis output); a redis:// URL is Falconer's own store setting, redis.url",
    ]);
    expect(redis({ address: '127.0.0.1:6379', storagetype: 'set' }).errors).toEqual([
      'redis.storagetype: expected list|hashmap, got "set"',
    ]);
  });
});

describe.skipIf(!hasRedis)('Redis output on 127.0.0.1:6379 (outputs/redis.go)', () => {
  const key = `falconer-test:redis-output:${process.pid}:${Date.now()}`;
  const r = createClient({ url: 'redis://127.0.0.1:6379' });
  beforeAll(async () => {
    await r.connect();
  });
  afterAll(async () => {
    await r.del([`${key}:list`, `${key}:hash`, `${key}:str`]);
    await r.close();
  });

  it('list: RPUSH of the exact JSON falcosidekick marshals; a batch is one command; one connection', async () => {
    const { output, errors } = redis({ address: '127.0.0.1:6379', key: `${key}:list` });
    expect(errors).toEqual([]);
    expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(await r.lRange(`${key}:list`, 0, -1)).toEqual([SAMPLE_EVENT_JSON]);
    for (let i = 0; i < 10; i++)
      expect(await output.send([secondEvent(), sampleEvent()], signal())).toEqual({ ok: true });
    expect(await r.lLen(`${key}:list`)).toBe(21);
    const clients = (await r.clientList()).filter((c) => c.name === 'falconer-redis');
    expect(clients.length).toBe(1);
    expect(output.health?.()).toMatchObject({ state: 'connected', connects: 1, disconnects: 0 });
    await output.close?.();
  });

  it('hashmap: HSET uuid → JSON, read back with HGETALL', async () => {
    const { output } = redis({ address: '127.0.0.1:6379', key: `${key}:hash`, storagetype: 'hashmap' });
    expect(await output.send([sampleEvent(), secondEvent()], signal())).toEqual({ ok: true });
    const all = await r.hGetAll(`${key}:hash`);
    expect(all[sampleEvent().uuid]).toBe(SAMPLE_EVENT_JSON);
    expect(Object.keys(all).sort()).toEqual([sampleEvent().uuid, secondEvent().uuid].sort());
    await output.close?.();
  });

  it('a key of another type is refused for good (client_error), not retried', async () => {
    await r.set(`${key}:str`, 'x');
    const { output } = redis({ address: '127.0.0.1:6379', key: `${key}:str` });
    expect(await output.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: false,
      reason: 'client_error',
    });
    await output.close?.();
  });

  it('a wrong password is an auth_error (not retried) and never shown', async () => {
    const { output } = redis({ address: '127.0.0.1:6379', password: 'not-the-password-123' });
    const res = await output.send([sampleEvent()], signal());
    expect(res).toMatchObject({ ok: false, retryable: false, reason: 'auth_error' });
    expect(JSON.stringify(res)).not.toContain('not-the-password-123');
    await output.close?.();
  });

  it('nothing listening: retryable network failure, fast', async () => {
    const { output } = redis({ address: `127.0.0.1:${await freePort()}` });
    expect(await output.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'network',
    });
    expect(output.health?.()).toMatchObject({ state: 'down', connects: 0 });
    await output.close?.();
  });
});
