import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';

/**
 * The arguments after the key (outputs/redis.go): `list` RPUSHes each event's JSON, `hashmap` HSETs
 * uuid → JSON. A batch is one command with many values, so it is stored in one round trip, atomically.
 */
export function redisArguments(storage: 'list' | 'hashmap', events: readonly FalcoEvent[]): string[] {
  if (storage === 'list') return events.map((e) => serializeEvent(e));
  const out: string[] = [];
  for (const e of events) out.push(e.uuid, serializeEvent(e));
  return out;
}
