import type { FalcoEvent } from '@falconer/contracts';
import { parseEventTime, rfc3339Nano } from '@falconer/outputs-core';

/** The context attributes the CloudEvents spec defines; an extension may not take their names. */
export const CORE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'datacontenttype',
  'dataschema',
  'subject',
  'time',
  'data',
  'data_base64',
]);

/** CloudEvents 1.0: attribute names are lower-case ASCII letters and digits. */
export const EXTENSION_NAME = /^[a-z0-9]+$/;

/**
 * A header value as Go writes it: UTF-8 bytes as they are (Node sends header strings as latin1, so the
 * UTF-8 bytes are handed over as latin1 characters). Control characters, which Go's client refuses to
 * send at all, are percent-encoded as the CloudEvents HTTP binding describes.
 */
export function headerValue(v: string): string {
  const safe = v.replace(
    // eslint-disable-next-line no-control-regex
    /[\x00-\x1f\x7f]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return Buffer.from(safe, 'utf8').toString('latin1');
}

/**
 * The binary-mode headers falcosidekick's CloudEvents output sends (outputs/cloudevents.go with the Go
 * SDK's HTTP binding): `ce-specversion`, `ce-id`, `ce-source`, `ce-type`, `ce-time` (RFC3339Nano, UTC),
 * the extensions `ce-priority`, `ce-rule`, `ce-eventsource`, `ce-hostname` (when set), then the
 * configured `extensions` (which win on a name clash, as in Go). `ce-id` is the event's uuid: a retry
 * carries the same id, so a consumer can de-duplicate.
 */
export function cloudEventHeaders(
  event: FalcoEvent,
  extensions: Readonly<Record<string, string>>,
): Record<string, string> {
  const t = parseEventTime(event.time);
  const attrs: Record<string, string> = {
    specversion: '1.0',
    id: event.uuid,
    source: 'https://falco.org',
    type: 'falco.rule.output.v1',
    // Go's t.UTC().Format(time.RFC3339Nano); the text as sent when it cannot be read
    time: t === undefined ? event.time : rfc3339Nano(t.epochNs),
    priority: event.priority,
    rule: event.rule,
    eventsource: event.source,
  };
  if (event.hostname !== '') attrs['hostname'] = event.hostname;
  Object.assign(attrs, extensions);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const [k, v] of Object.entries(attrs)) headers[`ce-${k}`] = headerValue(v);
  return headers;
}
