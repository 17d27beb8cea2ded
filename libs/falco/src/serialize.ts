import { goJsonString, stringifyGo, type FalcoEvent, type JsonValue } from '@falconer/contracts';

/** output_fields with keys sorted (Go map order), numbers as received. */
export function serializeOutputFields(fields: FalcoEvent['output_fields']): string {
  const keys = Object.keys(fields).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out += ',';
    out += goJsonString(k) + ':' + stringifyGo(fields[k] as JsonValue);
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
    goJsonString(event.rule) +
    ',"time":' +
    goJsonString(event.time) +
    ',"output_fields":' +
    serializeOutputFields(event.output_fields) +
    ',"source":' +
    goJsonString(event.source);
  if (event.tags.length > 0) out += ',"tags":[' + event.tags.map(goJsonString).join(',') + ']';
  if (event.hostname !== '') out += ',"hostname":' + goJsonString(event.hostname);
  if (extra !== undefined) {
    for (const k of Object.keys(extra)) out += ',' + goJsonString(k) + ':' + goJsonString(extra[k] as string);
  }
  return out + '}';
}
