import type { FalcoEvent } from '@falconer/contracts';

/**
 * Key layout under one prefix (ADR 0004). `<p>t` and every `<p>i:*` are sorted sets of event uuids scored by
 * the event's time in epoch ms; `<p>v:<dim>` lists the values seen for a dimension (group-by counts).
 *
 *   <p>e:<uuid>          event JSON (serializeStoredEvent text, numbers as received)
 *   <p>d:<uuid>          hash output name → DeliveryStatus JSON
 *   <p>r:<uuid>          list of RemediationRecord JSON
 *   <p>g:<uuid>          list of TriageMark JSON, oldest first (the last is the current state)
 *   <p>o:<uuid>          RoutingRecord JSON
 *   <p>a:<uuid>          hash output name → JSON array of DeliveryAttempt (the last DELIVERY_ATTEMPTS_MAX)
 *   <p>i:triage:<state>  events acknowledged / resolved (scored by the event's time; `new` is neither)
 *   <p>t                 every event
 *   <p>rcv               every event, scored by when it was received: retention (count and TTL) counts from here
 *   <p>i:<dim>:<value>   events with that value; dim = priority | rule | source | hostname | tag | ns
 *   <p>v:<dim>           set of values with a non-empty index
 */
export type Dim = 'priority' | 'rule' | 'source' | 'hostname' | 'tag' | 'ns';

export const NAMESPACE_FIELD = 'k8s.ns.name';

export class RedisKeys {
  constructor(readonly prefix: string) {}

  readonly all = (): string => `${this.prefix}t`;
  readonly received = (): string => `${this.prefix}rcv`;
  readonly event = (uuid: string): string => `${this.prefix}e:${uuid}`;
  readonly deliveries = (uuid: string): string => `${this.prefix}d:${uuid}`;
  readonly remediations = (uuid: string): string => `${this.prefix}r:${uuid}`;
  readonly index = (dim: Dim, value: string): string => `${this.prefix}i:${dim}:${value}`;
  readonly triage = (uuid: string): string => `${this.prefix}g:${uuid}`;
  readonly routing = (uuid: string): string => `${this.prefix}o:${uuid}`;
  readonly attempts = (uuid: string): string => `${this.prefix}a:${uuid}`;
  readonly triageIndex = (state: 'acknowledged' | 'resolved'): string => `${this.prefix}i:triage:${state}`;
  readonly values = (dim: Dim): string => `${this.prefix}v:${dim}`;
}

/** The (dimension, value) pairs an event is indexed under. The trim script derives the same pairs in Lua. */
export function indexEntries(event: FalcoEvent): [Dim, string][] {
  const out: [Dim, string][] = [
    ['priority', event.priority],
    ['rule', event.rule],
    ['source', event.source],
    ['hostname', event.hostname],
  ];
  for (const t of event.tags) out.push(['tag', t]);
  const ns = event.output_fields[NAMESPACE_FIELD];
  // only string values: the Lua side reads the JSON with cjson and can only agree on strings
  if (typeof ns === 'string' && ns !== '') out.push(['ns', ns]);
  return out;
}

/**
 * Removes the events received first beyond `maxEvents` and those received before the cutoff (retention counts
 * from receipt, like falcosidekick-ui: an event dated days back is kept the full TTL), at most `batch` per call,
 * with everything stored for them (indexes, deliveries, remediations). Returns how many were removed.
 * It reads the index values back from the stored JSON, so it needs no second copy of them.
 * ARGV: prefix, maxEvents (0 = no bound), cutoff ms ('' = no TTL), batch.
 */
export const TRIM_SCRIPT = `
local p = ARGV[1]
local max = tonumber(ARGV[2])
local cutoff = ARGV[3]
local batch = tonumber(ARGV[4])
local all = p .. 't'
local rcv = p .. 'rcv'
local n = redis.call('ZCARD', rcv)
local k = 0
if max > 0 and n > max then k = n - max end
if cutoff ~= '' then
  local old = redis.call('ZCOUNT', rcv, '-inf', '(' .. cutoff)
  if old > k then k = old end
end
if k > batch then k = batch end
if k == 0 then return 0 end
local victims = redis.call('ZRANGE', rcv, 0, k - 1)
local function unindex(dim, value, uuid)
  if type(value) ~= 'string' then return end
  local key = p .. 'i:' .. dim .. ':' .. value
  redis.call('ZREM', key, uuid)
  if redis.call('EXISTS', key) == 0 then redis.call('SREM', p .. 'v:' .. dim, value) end
end
for _, uuid in ipairs(victims) do
  local ek = p .. 'e:' .. uuid
  local json = redis.call('GET', ek)
  if json then
    local ok, ev = pcall(cjson.decode, json)
    if ok and type(ev) == 'table' then
      unindex('priority', ev.priority, uuid)
      unindex('rule', ev.rule, uuid)
      unindex('source', ev.source, uuid)
      unindex('hostname', ev.hostname or '', uuid)
      if type(ev.tags) == 'table' then
        for _, t in ipairs(ev.tags) do unindex('tag', t, uuid) end
      end
      if type(ev.output_fields) == 'table' then
        local ns = ev.output_fields['k8s.ns.name']
        if ns ~= '' then unindex('ns', ns, uuid) end
      end
    end
  end
  redis.call('DEL', ek, p .. 'd:' .. uuid, p .. 'r:' .. uuid, p .. 'g:' .. uuid, p .. 'o:' .. uuid, p .. 'a:' .. uuid)
  redis.call('ZREM', p .. 'i:triage:acknowledged', uuid)
  redis.call('ZREM', p .. 'i:triage:resolved', uuid)
end
redis.call('ZREM', all, unpack(victims))
redis.call('ZREM', rcv, unpack(victims))
return #victims
`;

/**
 * Records one event in a single command (one round trip, atomic): the JSON, the time index, the receipt
 * index, and each secondary index with its value registry. KEYS: event, all, received, then (index,
 * values) pairs. ARGV: json, score (event time), uuid, receipt time, then one value per pair.
 */
export const RECORD_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[3])
for i = 4, #KEYS, 2 do
  redis.call('ZADD', KEYS[i], ARGV[2], ARGV[3])
  redis.call('SADD', KEYS[i + 1], ARGV[5 + (i - 4) / 2])
end
return 1
`;

/**
 * Free-text and pod prefilter in Redis, so only candidate events cross the network. KEYS: event keys.
 * ARGV[1]: '1' to compare case-folded (ASCII only, the caller makes sure the needle is ASCII), then the
 * needles (any one may match). Returns a flat list: index (1-based) of a candidate, its JSON, …
 */
export const PREFILTER_SCRIPT = `
local lower = ARGV[1] == '1'
local out = {}
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v then
    local hay = v
    if lower then hay = string.lower(v) end
    for n = 2, #ARGV do
      if string.find(hay, ARGV[n], 1, true) then
        out[#out + 1] = i
        out[#out + 1] = v
        break
      end
    end
  end
end
return out
`;

/**
 * KEYS: event, deliveries hash, attempts hash. ARGV: output, status JSON, attempt JSON, attempts kept per
 * output. Only for an event that is still stored.
 */
export const SET_DELIVERY_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local prev = redis.call('HGET', KEYS[3], ARGV[1])
local list = {}
if prev then list = cjson.decode(prev) end
list[#list + 1] = cjson.decode(ARGV[3])
while #list > tonumber(ARGV[4]) do table.remove(list, 1) end
redis.call('HSET', KEYS[3], ARGV[1], cjson.encode(list))
return 1
`;

/** KEYS: event, remediations list. ARGV: record JSON. Only for an event that is still stored. */
export const ADD_REMEDIATION_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
return 1
`;
