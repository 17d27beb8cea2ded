import { createRedisClient, keyPrefix, type RedisClient } from '@falconer/redis';
import type { Silence } from '@falconer/contracts';

/** Where silences are kept: the process (memory mode) or Redis (shared by every replica). */
export interface SilenceBackend {
  readonly kind: 'memory' | 'redis';
  /** Changes whenever a silence is written or removed: a replica reloads only when it moved. */
  version(): Promise<string>;
  readAll(): Promise<Silence[]>;
  put(silence: Silence): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Memory mode: silences live in this process and are lost when it stops (docs/silences.md). */
export class MemorySilenceBackend implements SilenceBackend {
  readonly kind = 'memory';
  private readonly all = new Map<string, Silence>();
  private v = 0;

  version(): Promise<string> {
    return Promise.resolve(String(this.v));
  }
  readAll(): Promise<Silence[]> {
    return Promise.resolve([...this.all.values()]);
  }
  put(silence: Silence): Promise<void> {
    this.all.set(silence.id, silence);
    this.v++;
    return Promise.resolve();
  }
  remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.all.delete(id);
    this.v++;
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Redis mode: one hash `<p>all` (id → silence JSON) and a version counter `<p>v` bumped in the same
 * transaction; both under one hash-tagged prefix in a cluster, so the transaction stays on one node.
 */
export class RedisSilenceBackend implements SilenceBackend {
  readonly kind = 'redis';
  private readonly all: string;
  private readonly ver: string;

  private constructor(
    private readonly client: RedisClient,
    prefix: string,
  ) {
    this.all = `${prefix}all`;
    this.ver = `${prefix}v`;
  }

  static async connect(opts: {
    url: string;
    cluster?: boolean;
    /** Default `falconer:s:`; tests use a unique one. */
    prefix?: string;
    onError?: (err: Error) => void;
  }): Promise<RedisSilenceBackend> {
    const cluster = opts.cluster === true;
    const prefix = keyPrefix(opts.prefix ?? 'falconer:s:', cluster);
    const client = createRedisClient({
      url: opts.url,
      disableOfflineQueue: true,
      clusterPrefix: cluster ? prefix : undefined,
    });
    client.on('error', (err: Error) => opts.onError?.(err));
    await client.connect();
    return new RedisSilenceBackend(client, prefix);
  }

  async version(): Promise<string> {
    return (await this.client.get(this.ver)) ?? '0';
  }

  async readAll(): Promise<Silence[]> {
    const raw = await this.client.hGetAll(this.all);
    const out: Silence[] = [];
    for (const json of Object.values(raw)) {
      try {
        out.push(JSON.parse(json) as Silence);
      } catch {
        // a value that is not a silence is skipped (it mutes nothing)
      }
    }
    return out;
  }

  async put(silence: Silence): Promise<void> {
    await this.client.multi().hSet(this.all, silence.id, JSON.stringify(silence)).incr(this.ver).exec();
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.client
      .multi()
      .hDel(this.all, [...ids])
      .incr(this.ver)
      .exec();
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.destroy());
  }
}
