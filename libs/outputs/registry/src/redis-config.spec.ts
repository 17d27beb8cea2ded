import { SAMPLE_EVENT_JSON, sampleEvent } from '@falconer/outputs-testing';
import { canConnect, serviceAvailable } from '@falconer/testing';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasRedis = await serviceAvailable('Redis on 127.0.0.1:6379', () => canConnect(6379));

describe("redis: Falconer's store (redis.url) and falcosidekick's Redis output (redis.address) side by side", () => {
  it('redis.url alone is the store: no output', () => {
    const { config } = loadRouterConfig({ env: {}, yaml: 'redis:\n  url: redis://127.0.0.1:6379/3\n' });
    expect(config.redis.url).toBe('redis://127.0.0.1:6379/3');
    expect(config.outputs).toEqual([]);
  });

  it('both: the store keeps url, the output gets the rest (url is not an output setting)', () => {
    const { config } = loadRouterConfig({
      env: {},
      yaml: 'redis:\n  url: redis://127.0.0.1:6379/3\n  address: 127.0.0.1:6379\n  key: alerts\n',
    });
    expect(config.redis.url).toBe('redis://127.0.0.1:6379/3');
    expect(config.outputs.map((o) => [o.name, o.type, o.settings])).toEqual([
      ['redis', 'redis', { address: '127.0.0.1:6379', key: 'alerts' }],
    ]);
    expect(buildOutputs(config.outputs).warnings).toEqual([]);
  });

  it('output keys without redis.address are refused with a clear message (ambiguous file)', () => {
    expect(() =>
      loadRouterConfig({
        env: {},
        yaml: 'redis:\n  url: redis://127.0.0.1:6379\n  password: s3cret\n  database: 2\n',
      }),
    ).toThrow(
      "redis: redis.password, redis.database configure the redis output, which redis.address enables; Falconer's own history and queues use redis.url",
    );
    expect(() => loadRouterConfig({ env: { REDIS_URL: 'redis://h:6379', REDIS_KEY: 'x' } })).toThrow(
      'redis: redis.key configure the redis output',
    );
  });

  it('a bare host:port in redis.url is pointed at redis.address', () => {
    expect(() => loadRouterConfig({ env: {}, yaml: 'redis:\n  url: 127.0.0.1:6379\n' })).toThrow(
      "redis.url: expected redis://host:port[/db] (Falconer's store); a bare host:port is redis.address",
    );
  });
});

describe.skipIf(!hasRedis)(
  'Redis output configured like falcosidekick, read back with LRANGE/HGETALL',
  () => {
    const base = `falconer-test:redis-config:${process.pid}:${Date.now()}`;

    async function deliverAndRead(
      source: { yaml: string } | { env: Record<string, string> },
      read: () => Promise<unknown>,
    ) {
      const { config } = loadRouterConfig({ env: {}, ...source });
      const { instances, errors } = buildOutputs(config.outputs);
      expect(errors).toEqual([]);
      expect(instances.map((i) => i.type)).toEqual(['redis']);
      const out = instances[0]!.output;
      expect(await out.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
      await out.close?.();
      return read();
    }

    it('from YAML (hashmap, database 0, beside redis.url)', async () => {
      const r = createClient({ url: 'redis://127.0.0.1:6379' });
      await r.connect();
      try {
        const got = await deliverAndRead(
          {
            yaml: `redis:\n  url: redis://127.0.0.1:6379/0\n  address: 127.0.0.1:6379\n  database: 0\n  storagetype: hashmap\n  key: ${base}:h\n`,
          },
          () => r.hGetAll(`${base}:h`),
        );
        expect(got).toEqual({ [sampleEvent().uuid]: SAMPLE_EVENT_JSON });
      } finally {
        await r.del(`${base}:h`);
        await r.close();
      }
    });

    it('from environment variables only (REDIS_ADDRESS, REDIS_KEY, REDIS_STORAGETYPE)', async () => {
      const r = createClient({ url: 'redis://127.0.0.1:6379' });
      await r.connect();
      try {
        const got = await deliverAndRead(
          { env: { REDIS_ADDRESS: '127.0.0.1:6379', REDIS_KEY: `${base}:l`, REDIS_STORAGETYPE: 'list' } },
          () => r.lRange(`${base}:l`, 0, -1),
        );
        expect(got).toEqual([SAMPLE_EVENT_JSON]);
      } finally {
        await r.del(`${base}:l`);
        await r.close();
      }
    });
  },
);
