import type { FalcoEvent, JsonValue } from '@falconer/contracts';
import { jsonOfShared, layoutOf } from './caches';
import { goJsonString, stringifyGo } from './json/go-json';

/** output_fields with keys sorted (Go map order), numbers as received. */
export function serializeOutputFields(fields: FalcoEvent['output_fields']): string {
  const { sorted, prefixes } = layoutOf(Object.keys(fields));
  let out = '{';
  for (let i = 0; i < sorted.length; i++) {
    const v = fields[sorted[i] as string];
    out += (prefixes[i] as string) + (typeof v === 'string' ? jsonOfShared(v) : stringifyGo(v as JsonValue));
  }
  return out + '}';
}

/**
 * The event as falcosidekick marshals it: keys `uuid, output, priority, rule, time, output_fields,
 * source, tags, hostname`; `tags` and `hostname` omitted when empty (Go `omitempty`).
 * `extra` appends keys after `hostname` (e.g. Elasticsearch's `@timestamp`).
 */
export function serializeEvent(event: FalcoEvent, extra?: Readonly<Record<string, string>>): string {
  let out =
    '{"uuid":' +
    goJsonString(event.uuid) +
    ',"output":' +
    goJsonString(event.output) +
    ',"priority":' +
    goJsonString(event.priority) +
    ',"rule":' +
    jsonOfShared(event.rule) +
    ',"time":' +
    goJsonString(event.time) +
    ',"output_fields":' +
    serializeOutputFields(event.output_fields) +
    ',"source":' +
    goJsonString(event.source);
  if (event.tags.length > 0) out += ',"tags":[' + event.tags.map(jsonOfShared).join(',') + ']';
  if (event.hostname !== '') out += ',"hostname":' + jsonOfShared(event.hostname);
  if (extra !== undefined) {
    for (const k of Object.keys(extra)) out += ',' + goJsonString(k) + ':' + goJsonString(extra[k] as string);
  }
  return out + '}';
}

/**
 * The event as Falconer keeps and shows it (history, live stream, API): `serializeEvent` plus Falconer's
 * `silenced` mark when present. Outputs use `serializeEvent`, so the mark never reaches a destination.
 */
export function serializeStoredEvent(event: FalcoEvent): string {
  const json = serializeEvent(event);
  const ids = event.silenced;
  if (ids === undefined || ids.length === 0) return json;
  return json.slice(0, -1) + ',"silenced":[' + ids.map(goJsonString).join(',') + ']}';
}

/**
 * Events as newline-delimited JSON, each line ending in `\n` as Go's json.Encoder writes it: one event is
 * falcosidekick's body byte for byte; several are what NDJSON ingest APIs (Splunk HEC, Sumo Logic,
 * OpenObserve `_multi`, Quickwit) take in one request.
 */
export function serializeEventLines(events: readonly FalcoEvent[], wrap?: (json: string) => string): string {
  let out = '';
  for (const e of events) out += (wrap ? wrap(serializeEvent(e)) : serializeEvent(e)) + '\n';
  return out;
}
