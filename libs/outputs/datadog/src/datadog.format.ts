import { type FalcoEvent, type Priority } from '@falconer/contracts';
import { serializeEvent, goJsonString } from '@falconer/falco';

const ALERT_TYPE: Readonly<Record<Priority, string>> = {
  Emergency: 'error',
  Alert: 'error',
  Critical: 'error',
  Error: 'error',
  Warning: 'warning',
  Notice: 'info',
  Informational: 'info',
  Debug: 'info',
};

/**
 * falcosidekick's Datadog event (outputs/datadog.go, newDatadogPayload): tags `<field>:<value>` for the
 * string output fields in key order, `source:<source>`, `source:falco`, `hostname:<h>`, then the event's
 * tags sorted; the newline of Go's json.Encoder.
 */
export function formatDatadogEvent(event: FalcoEvent): string {
  const tags: string[] = [];
  for (const k of Object.keys(event.output_fields).sort()) {
    const v = event.output_fields[k];
    if (typeof v === 'string') tags.push(`${k}:${v}`);
  }
  tags.push(`source:${event.source}`, 'source:falco');
  if (event.hostname !== '') tags.push(`hostname:${event.hostname}`);
  tags.push(...[...event.tags].sort());
  return (
    `{"title":${goJsonString(event.rule)},"text":${goJsonString(event.output)},` +
    `"alert_type":"${ALERT_TYPE[event.priority]}","source_type_name":"falco",` +
    `"tags":[${tags.map(goJsonString).join(',')}]}\n`
  );
}

/** One log (outputs/datadog_logs.go, newDatadogLogsPayload): empty keys left out as Go's omitempty does. */
function log(event: FalcoEvent, service: string): string {
  const parts = ['"ddsource":"falco"'];
  if (event.hostname !== '') parts.push(`"hostname":${goJsonString(event.hostname)}`);
  if (service !== '') parts.push(`"service":${goJsonString(service)}`);
  parts.push(`"message":${goJsonString(serializeEvent(event))}`);
  if (event.tags.length > 0) parts.push(`"ddtags":${goJsonString([...event.tags].sort().join(','))}`);
  return `{${parts.join(',')}}`;
}

/**
 * The logs request: falcosidekick's object for one event, a JSON array of them (accepted by the same
 * endpoint) for a batch.
 */
export function formatDatadogLogs(events: readonly FalcoEvent[], service: string): string {
  if (events.length === 1) return `${log(events[0]!, service)}\n`;
  return `[${events.map((e) => log(e, service)).join(',')}]\n`;
}
