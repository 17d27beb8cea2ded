import type { EventStore } from './event-store';
import { MemoryEventStore } from './memory/memory-event-store';
import { RedisEventStore } from './redis/redis-event-store';

export interface StoreSettings {
  /** Empty: the in-memory ring. */
  redisUrl: string;
  maxEvents: number;
  /** Memory store only: bytes of events kept at most (oldest evicted first). */
  maxBytes?: number;
  /** <= 0: no TTL. */
  ttlMs: number;
  /** Redis key prefix (default `falconer:h:`). */
  prefix?: string;
  /** `redisUrl` lists seed nodes of a Redis Cluster. */
  cluster?: boolean;
  /** Redis connection errors after start (the client reconnects by itself). */
  onError?: (err: Error) => void;
}

/** The store for this configuration: memory when no Redis URL is set, else Redis (connected, retention applied). */
export async function createEventStore(settings: StoreSettings): Promise<EventStore> {
  if (settings.redisUrl === '')
    return new MemoryEventStore(settings.maxEvents, settings.ttlMs, Date.now, settings.maxBytes);
  return RedisEventStore.connect({
    url: settings.redisUrl,
    maxEvents: settings.maxEvents,
    ttlMs: settings.ttlMs,
    ...(settings.prefix !== undefined ? { prefix: settings.prefix } : {}),
    ...(settings.cluster !== undefined ? { cluster: settings.cluster } : {}),
    ...(settings.onError !== undefined ? { onError: settings.onError } : {}),
  });
}
