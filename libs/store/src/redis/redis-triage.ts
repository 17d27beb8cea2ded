import {
  TRIAGE_HISTORY_MAX,
  type DeliveryAttempt,
  type RoutingRecord,
  type TriageMark,
  type TriageState,
} from '@falconer/contracts';
import type { RedisClient } from '@falconer/redis';
import type { TriageOutcome } from '../event-store';
import type { NormalizedQuery } from '../event-query';
import { NEW_TRIAGE } from '../timeline';
import type { RedisKeys } from './redis-keys';

/** Runs a Lua script (the store's EVALSHA with NOSCRIPT handling). */
export type ScriptRunner = (
  text: string,
  options: { keys: string[]; arguments: string[] },
) => Promise<unknown>;

/**
 * KEYS: event, all-events index, triage history, acknowledged index, resolved index. ARGV: uuid, state,
 * mark JSON, history kept. The current state is the index the uuid is in (neither: new). Returns 0 when
 * the event is not stored, 2 when it is in that state already, 1 when changed.
 */
export const SET_TRIAGE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local uuid = ARGV[1]
local cur = 'new'
if redis.call('ZSCORE', KEYS[4], uuid) then cur = 'acknowledged'
elseif redis.call('ZSCORE', KEYS[5], uuid) then cur = 'resolved' end
if cur == ARGV[2] then return 2 end
local score = redis.call('ZSCORE', KEYS[2], uuid)
if not score then return 0 end
redis.call('ZREM', KEYS[4], uuid)
redis.call('ZREM', KEYS[5], uuid)
if ARGV[2] == 'acknowledged' then redis.call('ZADD', KEYS[4], score, uuid)
elseif ARGV[2] == 'resolved' then redis.call('ZADD', KEYS[5], score, uuid) end
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[4]), -1)
return 1
`;

/** KEYS: event, target. ARGV: value. Sets the target only for an event that is still stored. */
export const SET_IF_STORED_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
return 1
`;

/** Triage and timeline reads and writes of the Redis store (its key layout: redis-keys.ts). */
export class RedisTriage {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly script: ScriptRunner,
  ) {}

  async set(uuid: string, mark: TriageMark): Promise<TriageOutcome> {
    const k = this.keys;
    const r = Number(
      await this.script(SET_TRIAGE_SCRIPT, {
        keys: [
          k.event(uuid),
          k.all(),
          k.triage(uuid),
          k.triageIndex('acknowledged'),
          k.triageIndex('resolved'),
        ],
        arguments: [uuid, mark.state, JSON.stringify(mark), String(TRIAGE_HISTORY_MAX)],
      }),
    );
    return r === 1 ? 'changed' : r === 2 ? 'unchanged' : 'missing';
  }

  async current(uuids: readonly string[]): Promise<Map<string, TriageMark>> {
    const last = await Promise.all(uuids.map((u) => this.client.lIndex(this.keys.triage(u), -1)));
    const out = new Map<string, TriageMark>();
    uuids.forEach((u, i) => {
      const json = last[i];
      if (typeof json !== 'string') return;
      const mark = JSON.parse(json) as TriageMark;
      if (mark.state !== 'new') out.set(u, mark);
    });
    return out;
  }

  async setRouting(uuid: string, routing: RoutingRecord): Promise<boolean> {
    const r = await this.script(SET_IF_STORED_SCRIPT, {
      keys: [this.keys.event(uuid), this.keys.routing(uuid)],
      arguments: [JSON.stringify(routing)],
    });
    return Number(r) === 1;
  }

  /** The triage and timeline parts of an EventDetail. */
  async detail(uuid: string): Promise<{
    triage: TriageMark;
    triageHistory: TriageMark[];
    routing?: RoutingRecord;
    attempts: DeliveryAttempt[];
  }> {
    const k = this.keys;
    const [history, routing, attempts] = await Promise.all([
      this.client.lRange(k.triage(uuid), 0, -1),
      this.client.get(k.routing(uuid)),
      this.client.hGetAll(k.attempts(uuid)),
    ]);
    const triageHistory = history.map((s) => JSON.parse(s) as TriageMark);
    return {
      triage: triageHistory.at(-1) ?? { ...NEW_TRIAGE },
      triageHistory,
      ...(routing !== null ? { routing: JSON.parse(routing) as RoutingRecord } : {}),
      attempts: Object.keys(attempts)
        .sort()
        .flatMap((o) => JSON.parse(attempts[o] as string) as DeliveryAttempt[]),
    };
  }
}

/**
 * The index condition of a triage filter: acknowledged and resolved events are in their index, `new` ones
 * in neither. Absent when every state is allowed; `exclude` when `new` is allowed (the event must be in
 * none of the keys).
 */
export function triageCondition(
  keys: RedisKeys,
  states: ReadonlySet<TriageState> | undefined,
): { keys: string[]; exclude: boolean } | undefined {
  if (states === undefined || states.size === 3) return undefined;
  const indexed = (['acknowledged', 'resolved'] as const).filter((s) =>
    states.has('new') ? !states.has(s) : states.has(s),
  );
  return { keys: indexed.map((s) => keys.triageIndex(s)), exclude: states.has('new') };
}

/** The query without its triage part (the Redis store answers that from the indexes). */
export function withoutTriage(q: NormalizedQuery): NormalizedQuery {
  const { triage: _triage, ...rest } = q;
  return rest;
}
