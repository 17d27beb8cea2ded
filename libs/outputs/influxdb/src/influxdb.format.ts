import type { FalcoEvent } from '@falconer/contracts';
import { epochIn, type TimePrecision } from '@falconer/outputs-core';

/**
 * Line protocol escaping for tag keys and values: commas, equals signs and spaces are backslash-escaped
 * (falcosidekick replaced only spaces, so rules with `,` or `=` made lines InfluxDB rejects). Line
 * breaks cannot be escaped in a tag and become spaces. InfluxDB 1.x keeps other backslashes literally
 * but has no way to write a backslash right before one of those characters or at the end of a value
 * (tested: `invalid tag format`), so such backslashes are dropped.
 */
export function escapeTag(s: string): string {
  return s
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/\\+(?=[,= ]|$)/g, '')
    .replace(/[,= ]/g, '\\$&');
}

/** A string field value: `"` and `\` escaped, then quoted. */
export function quoteField(s: string): string {
  return '"' + s.replace(/[\\"]/g, '\\$&') + '"';
}

/** Tag keys Falconer writes itself; output fields of the same name are left out (no duplicate tags). */
const RESERVED = new Set(['rule', 'priority', 'source', 'hostname', 'tags', 'time']);

/**
 * One point: `events,rule=…,priority=…,source=…[,<string output field>=…][,hostname=…][,tags=a_b]
 * value="<output>" <event time in precision>`. Empty tag values are left out (invalid in line protocol).
 */
export function formatInfluxLine(event: FalcoEvent, precision: TimePrecision): string {
  let line = 'events';
  const tag = (k: string, v: string): void => {
    if (v !== '' && k !== '') line += `,${escapeTag(k)}=${escapeTag(v)}`;
  };
  tag('rule', event.rule);
  tag('priority', event.priority);
  tag('source', event.source);
  for (const k of Object.keys(event.output_fields).sort()) {
    const v = event.output_fields[k];
    if (typeof v === 'string' && !RESERVED.has(k)) tag(k, v);
  }
  tag('hostname', event.hostname);
  if (event.tags.length > 0) tag('tags', event.tags.join('_'));
  line += ` value=${quoteField(event.output)}`;
  const ts = epochIn(event.time, precision);
  return ts === undefined ? line : `${line} ${ts}`;
}

/** A batch: one line per event, newline-separated. */
export function formatInfluxBody(events: readonly FalcoEvent[], precision: TimePrecision): string {
  return events.map((e) => formatInfluxLine(e, precision)).join('\n');
}
