import { randomUUID } from 'node:crypto';
import { createRedisClient, keyPrefix, type RedisClient } from '@falconer/redis';
import type { ActionLimits, Refusal } from './limits';

/**
 * KEYS[1]: the pod's cooldown key, KEYS[2]: the rate limit's sorted set of acquisition times (both under
 * one hash tag: one slot in a Redis Cluster). ARGV: now (ms), cooldown ms, window ms, max, a unique member,
 * '1' to take (else only look). Returns 0 (free / taken), 1 (cooling down) or 2 (rate limit full).
 * Redis runs a script alone: the check and the take are one step for every replica.
 */
const LIMITS_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 2 end
if ARGV[6] == '1' then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
  redis.call('ZADD', KEYS[2], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return 0
`;

export interface RedisLimitsOptions {
  client: RedisClient;
  /** Hash-tagged key prefix shared by the replicas (`{falconer:rem}:` by default). */
  prefix: string;
  /** `real` or `dry`: dry-run decisions have their own budget. */
  budget: string;
  cooldownMs: number;
  rate: { max: number; windowMs: number };
  now?: () => number;
}

/** Cooldown and rate limit shared by every remediator replica on one Redis (ADR 0009). */
export class RedisActionLimits implements ActionLimits {
  private sha = '';
  readonly cooldownMs: number;

  constructor(private readonly opts: RedisLimitsOptions) {
    this.cooldownMs = opts.cooldownMs;
  }

  check(key: string): Promise<Refusal | undefined> {
    return this.run(key, false);
  }

  acquire(key: string): Promise<Refusal | undefined> {
    return this.run(key, true);
  }

  private async run(key: string, take: boolean): Promise<Refusal | undefined> {
    const { prefix, budget } = this.opts;
    const keys = [`${prefix}${budget}:cooldown:${key}`, `${prefix}${budget}:rate`];
    const args = [
      String((this.opts.now ?? Date.now)()),
      String(this.opts.cooldownMs),
      String(this.opts.rate.windowMs),
      String(this.opts.rate.max),
      randomUUID(),
      take ? '1' : '0',
    ];
    let r: unknown;
    try {
      if (this.sha === '') this.sha = await this.opts.client.scriptLoad(LIMITS_SCRIPT);
      r = await this.opts.client.evalSha(this.sha, { keys, arguments: args });
    } catch (err) {
      if (!String(err).includes('NOSCRIPT')) throw err;
      this.sha = await this.opts.client.scriptLoad(LIMITS_SCRIPT);
      r = await this.opts.client.evalSha(this.sha, { keys, arguments: args });
    }
    const code = Number(r);
    return code === 1 ? 'cooldown' : code === 2 ? 'rate_limited' : undefined;
  }
}

/** The real and dry-run budgets on one Redis connection; `close()` ends it. */
export async function connectRedisLimits(opts: {
  url: string;
  cluster: boolean;
  cooldownMs: number;
  rate: { max: number; windowMs: number };
  prefix?: string;
  onError?: (err: Error) => void;
}): Promise<{ real: ActionLimits; dry: ActionLimits; close(): Promise<void> }> {
  const prefix = keyPrefix(opts.prefix ?? 'falconer:rem:', opts.cluster);
  // while Redis is away a decision fails fast (recorded as an error), never waits for it
  const client = createRedisClient({
    url: opts.url,
    disableOfflineQueue: true,
    clusterPrefix: opts.cluster ? prefix : undefined,
  });
  client.on('error', (err: Error) => opts.onError?.(err));
  await client.connect();
  const make = (budget: string): RedisActionLimits =>
    new RedisActionLimits({ client, prefix, budget, cooldownMs: opts.cooldownMs, rate: opts.rate });
  return {
    real: make('real'),
    dry: make('dry'),
    close: async () => {
      if (client.isReady) await client.quit().catch(() => client.destroy());
      else client.destroy();
    },
  };
}
