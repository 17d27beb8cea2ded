import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import { launchRouter, type LaunchOptions, type RouterProcess } from './router-process';

/** The YAML of one webhook output instance (`soc` unless named) posting to `address`. */
export function webhookYaml(address: string, name = 'soc'): string {
  return `outputs:\n  - name: ${name}\n    type: webhook\n    address: ${address}\n`;
}

/**
 * The set-up of the crash, shutdown and replica specs, written once: built routers (without the
 * dashboard) sharing one configuration and queue store, started one by one and stopped together.
 * `options` is read at each start, so it may use what `beforeAll` made (a receiver's url).
 */
export class RouterFleet {
  /** Every router started and not yet stopped with `stopAll`, in start order. */
  readonly routers: RouterProcess[] = [];

  constructor(private readonly options: () => LaunchOptions = () => ({})) {}

  async start(over: LaunchOptions = {}): Promise<RouterProcess> {
    const base = this.options();
    const r = await launchRouter({ ui: false, ...base, ...over, env: { ...base.env, ...over.env } });
    this.routers.push(r);
    return r;
  }

  /** Starts `n` routers, one after the other. */
  async startMany(n: number): Promise<RouterProcess[]> {
    const out: RouterProcess[] = [];
    for (let i = 0; i < n; i++) out.push(await this.start());
    return out;
  }

  /** Stops every router (SIGKILL: as a crash would), one after the other. */
  async stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    for (const r of this.routers.splice(0)) await r.kill(signal);
  }
}

export type OwnedRedis = ReturnType<typeof createClient>;

/**
 * A Redis database the spec file owns (the routers' history and queue key prefixes are fixed; see
 * CONTRIBUTING's reserved databases): a client to it, the database emptied before and after the file.
 */
export function ownRedisDatabase(url: string): OwnedRedis {
  const redis = createClient({ url });
  beforeAll(async () => {
    await redis.connect();
    await redis.flushDb();
  });
  afterAll(async () => {
    if (!redis.isOpen) return;
    await redis.flushDb();
    await redis.quit();
  });
  return redis;
}
