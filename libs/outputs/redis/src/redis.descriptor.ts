import { COMMON_SETTINGS, defineOutput, loadTls, setting } from '@falconer/outputs-core';
import { RedisOutput } from './redis.output';

export const REDIS_SETTINGS = {
  address: setting.string(
    'Redis `host:port` the alerts are written to (enables the output; not `redis.url`, the history store)',
    '',
    { required: true },
  ),
  username: setting.string('ACL user name', ''),
  password: setting.string('Password', '', { secret: true }),
  database: setting.int('Database number', 0, { min: 0, max: 1_000_000 }),
  storagetype: setting.enum(
    '`list` (RPUSH the event JSON) or `hashmap` (HSET uuid → JSON)',
    ['list', 'hashmap'] as const,
    'list',
  ),
  key: setting.string('Key of the list or hash', 'falco'),
  tls: setting.bool('Connect with TLS', false),
  checkcert: setting.bool('Verify the server TLS certificate', true),
  mutualtls: setting.bool('TLS with the global client certificate (`mutualtlsclient.*`)', false),
  ...COMMON_SETTINGS,
};

export const redisOutput = defineOutput({
  type: 'redis',
  title: 'Redis',
  section: 'redis',
  enabledBy: ['address'],
  settings: REDIS_SETTINGS,
  falcosidekick: 'outputs/redis.go',
  summary:
    "Stores falcosidekick's event JSON in a Redis list (RPUSH) or hash (HSET uuid → JSON) on one connection held for the output's lifetime; a batch is one command. Not to be confused with `redis.url`, where Falconer keeps its own history and queues.",
  example: `redis:
  address: redis-alerts.monitoring:6379
  password: s3cret
  database: 2
  storagetype: list
  key: falco`,
  create: (v, ctx) => {
    const m = /^(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(v.address);
    if (m === null) {
      ctx.error(
        'address',
        /^rediss?:\/\//.test(v.address)
          ? "expected host:port (falcosidekick's Redis output); a redis:// URL is Falconer's own store setting, redis.url"
          : 'expected host:port',
      );
    }
    const tlsOn = v.tls || v.mutualtls;
    const { material, errors } = loadTls(ctx.tls, v.mutualtls);
    for (const e of errors) ctx.error('mutualtls', e);
    return new RedisOutput(ctx.name, ctx.type, {
      host: (m?.[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''),
      port: Number(m?.[2] ?? 6379),
      username: v.username,
      password: v.password,
      database: v.database,
      storage: v.storagetype,
      key: v.key === '' ? 'falco' : v.key,
      ...(tlsOn ? { tls: { verify: v.checkcert || v.mutualtls, material } } : {}),
      secrets: ctx.secrets,
    });
  },
});
