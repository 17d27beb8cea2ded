import { hostname } from 'node:os';
import { createRedisClient, keyPrefix } from '@falconer/redis';
import { Registry } from 'prom-client';
import { MemoryDeadLetterStore, RedisDeadLetterStore, type DeadLetterRecord } from './dead-letters';
import type { DeliveryStatusSink } from './delivery-status';
import { DeliveryService, type DeliveryTarget } from './delivery-service';
import { MemoryQueueBackend } from './memory-queue';
import { RedisQueueBackend, type RedisClient } from './redis-queue';
import {
  readAggregateSettings,
  readDeliverySettings,
  type AggregateSettings,
  type DeliverySettings,
} from './settings';
import type { DeliveryLog } from './worker';

export interface CreateDispatcherOptions {
  targets: readonly DeliveryTarget[];
  /** `redis://…`: Redis Streams queues and dead letters; empty or absent: memory. */
  redisUrl?: string;
  /** Key prefix in Redis (default `falconer`); tests use a unique one. */
  keyPrefix?: string;
  /** `redisUrl` lists seed nodes of a Redis Cluster; the prefix gets a hash tag (see @falconer/redis). */
  redisCluster?: boolean;
  /** Stable consumer name of this process (default `<hostname>:<pid>`; give host and port for restarts). */
  consumerName?: string;
  /** The router's registry; a private one when absent. */
  registry?: Registry;
  /** Where delivery states are recorded (the event store). */
  store?: DeliveryStatusSink;
  log?: DeliveryLog;
  /** Redis: entries of a silent consumer are taken over after this long (default 30 s). */
  claimIdleMs?: number;
  /** Dead letters kept in memory mode before the oldest are dropped (counted and logged). */
  maxDeadLetters?: number;
  random?: () => number;
  /** Most entries one worker holds at once (in flight + waiting to be retried); default 10 000. */
  maxHeldPerOutput?: number;
}

/** Configuration problems of every target's `delivery:` and `aggregate:`, all at once. */
export function deliveryProblems(
  targets: readonly Pick<DeliveryTarget, 'name' | 'delivery' | 'aggregate' | 'path'>[],
): string[] {
  const errors: string[] = [];
  for (const t of targets) {
    const path = t.path ?? t.name;
    errors.push(...readDeliverySettings(t.delivery, path).errors);
    if (t.aggregate !== undefined) errors.push(...readAggregateSettings(t.aggregate, path).errors);
  }
  return errors;
}

const SILENT: DeliveryLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * The dispatcher for this configuration: Redis Streams when `redisUrl` is set, memory otherwise.
 * Throws an Error listing every problem of the targets' `delivery:`/`aggregate:` settings.
 */
export async function createDispatcher(opts: CreateDispatcherOptions): Promise<DeliveryService> {
  const problems = deliveryProblems(opts.targets);
  if (problems.length > 0) throw new DeliveryConfigError(problems);
  const log = opts.log ?? SILENT;
  const lanes = opts.targets.map((target) => {
    const path = target.path ?? target.name;
    const lane: { target: DeliveryTarget; settings: DeliverySettings; aggregate?: AggregateSettings } = {
      target,
      settings: readDeliverySettings(target.delivery, path).settings,
    };
    if (target.aggregate !== undefined)
      lane.aggregate = readAggregateSettings(target.aggregate, path).settings;
    return lane;
  });
  const bounds = new Map(lanes.map((l) => [l.target.name, l.settings.queueSize]));
  const registry = opts.registry ?? new Registry();
  const options = {
    registry,
    store: opts.store,
    log,
    random: opts.random,
    maxHeld: opts.maxHeldPerOutput,
  };
  const redisUrl = opts.redisUrl ?? '';
  if (redisUrl === '') {
    const dropped = (r: DeadLetterRecord): void => {
      service.countLost(r.output, 'dead_letters_full');
      log.error(
        { output: r.output, uuid: r.event.uuid, reason: r.reason },
        'dead-letter queue full: oldest dead letter dropped',
      );
    };
    const service: DeliveryService = new DeliveryService(
      new MemoryQueueBackend(bounds),
      new MemoryDeadLetterStore(opts.maxDeadLetters ?? 100_000, dropped),
      lanes,
      options,
    );
    return service;
  }
  // no offline queue: while Redis is unreachable, enqueue fails at once (ingest answers 503) instead of
  // holding Falco's request until it is back
  const cluster = opts.redisCluster === true;
  const prefix = keyPrefix(opts.keyPrefix ?? 'falconer', cluster);
  const clusterPrefix = cluster ? prefix : undefined;
  const client: RedisClient = createRedisClient({ url: redisUrl, disableOfflineQueue: true, clusterPrefix });
  client.on('error', (err: unknown) => log.warn({ err: String(err) }, 'redis (delivery) error'));
  await client.connect();
  const backend = new RedisQueueBackend({
    // called only once entries are read, after the service below exists
    onLost: (output, reason) => service.countLost(output, reason),
    client,
    prefix,
    consumer: opts.consumerName ?? `${hostname()}:${process.pid}`,
    bounds,
    ...(opts.claimIdleMs !== undefined ? { claimIdleMs: opts.claimIdleMs } : {}),
    log,
  });
  const service: DeliveryService = new DeliveryService(
    backend,
    new RedisDeadLetterStore(client, prefix),
    lanes,
    {
      ...options,
      onClose: async () => {
        await client.quit().catch(() => client.destroy());
      },
      sharedWindows: { client, prefix },
    },
  );
  return service;
}

export class DeliveryConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid delivery configuration: ${problems.join('; ')}`);
    this.name = 'DeliveryConfigError';
  }
}
