import { createClient, createCluster, type RedisClientOptions } from 'redis';

/** The node-redis client type the store and the delivery queues are written against. */
export type RedisClient = ReturnType<typeof createClient>;

/**
 * `redis.url` as the configuration gives it: one URL, or with `redis.cluster` several seed URLs separated
 * by commas. Problems are returned, not thrown, so the configuration reports them with the rest.
 */
export function redisUrlProblems(url: string, cluster: boolean): string[] {
  if (url === '') return cluster ? ['redis.cluster: needs seed nodes in redis.url'] : [];
  const urls = url.split(',').map((u) => u.trim());
  const problems = urls
    .filter((u) => !/^rediss?:\/\/[^/\s]/.test(u))
    .map((u) => `redis.url: expected redis://host:port[/db], got "${u}"`);
  if (!cluster && urls.length > 1) problems.push('redis.url: several URLs need redis.cluster: true');
  if (cluster && urls.some((u) => /^rediss?:\/\/[^/]*\/[1-9]/.test(u)))
    problems.push('redis.url: a Redis Cluster has only database 0');
  return problems;
}

/**
 * The key prefix to use: in a cluster it carries a hash tag (`falconer:h:` → `{falconer:h}:`), so every
 * key under it lands in one slot and each multi-key command, script and transaction stays on one node.
 */
export function keyPrefix(prefix: string, cluster: boolean): string {
  if (!cluster || /\{[^}]+\}/.test(prefix)) return prefix;
  const core = prefix.replace(/:+$/, '');
  return `{${core}}${prefix.slice(core.length)}`;
}

/**
 * A client for one Redis, or for a Redis Cluster when `clusterPrefix` is given (the hash-tagged prefix of
 * every key the caller uses, see keyPrefix). The cluster client is presented as a plain client: commands
 * with keys are routed by their key (MOVED, ASK and failover handled by node-redis); the few without one
 * — PING, EVALSHA of a script that finds its keys itself, MULTI — go to the node that owns the prefix's
 * slot; SCRIPT LOAD goes to every master and SCAN walks them all.
 */
export function createRedisClient(
  options: RedisClientOptions & { url: string; clusterPrefix?: string | undefined },
): RedisClient {
  const { url, clusterPrefix, ...defaults } = options;
  if (clusterPrefix === undefined) return createClient({ url, ...defaults });
  const tag = /\{[^}]+\}/.exec(clusterPrefix)?.[0];
  if (tag === undefined) throw new Error(`Redis Cluster key prefix without a hash tag: "${clusterPrefix}"`);
  const rootNodes = url.split(',').map((u) => ({ url: u.trim() }));
  return asClient(createCluster({ rootNodes, defaults, useReplicas: false }), tag);
}

type Cluster = ReturnType<typeof createCluster>;

function asClient(cluster: Cluster, tag: string): RedisClient {
  const onReady: (() => void)[] = [];
  const overrides: Record<PropertyKey, unknown> = {
    async connect() {
      await cluster.connect();
      for (const f of onReady) f();
      return proxy;
    },
    on(event: string, listener: (...args: unknown[]) => void) {
      // a cluster has no 'ready' of its own: it is ready once connected to every master
      if (event === 'ready') onReady.push(listener);
      else cluster.on(event, listener);
      return proxy;
    },
    get isReady() {
      return cluster.isOpen;
    },
    ping: () => cluster.sendCommand(tag, true, ['PING']),
    // raw commands (the queue's pending read) name keys that all carry the tag: route them by it
    sendCommand: (args: string[]) => cluster.sendCommand(tag, false, args),
    async scriptLoad(script: string) {
      let sha = '';
      for (const master of cluster.masters) sha = await (await cluster.nodeClient(master)).scriptLoad(script);
      return sha;
    },
    evalSha(sha: string, opts?: { keys?: string[]; arguments?: string[] }) {
      if (opts?.keys !== undefined && opts.keys.length > 0) return cluster.evalSha(sha, opts);
      return cluster.sendCommand(tag, false, ['EVALSHA', sha, '0', ...(opts?.arguments ?? [])]);
    },
    multi: () => cluster.multi(tag),
    async *scanIterator(opts: Parameters<RedisClient['scanIterator']>[0]) {
      for (const master of cluster.masters) yield* (await cluster.nodeClient(master)).scanIterator(opts);
    },
    duplicate: () => asClient(cluster.duplicate(), tag),
  };
  const proxy = new Proxy(cluster, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as RedisClient;
  return proxy;
}
