import { type FalcoEvent, type Priority } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';

const PRIORITY: Readonly<Record<Priority, string>> = {
  Emergency: 'P1',
  Alert: 'P1',
  Critical: 'P2',
  Error: 'P3',
  Warning: 'P4',
  Notice: 'P5',
  Informational: 'P5',
  Debug: 'P5',
};

/**
 * falcosidekick's alert body (outputs/opsgenie.go, newOpsgeniePayload): string output fields as details
 * (dots to `_`), plus source, rule, priority, hostname, tags; details keys sorted as Go marshals a map;
 * the newline of Go's json.Encoder.
 */
export function formatOpsgenie(event: FalcoEvent): string {
  const details = new Map<string, string>();
  for (const [k, v] of Object.entries(event.output_fields))
    if (typeof v === 'string') details.set(k.replace(/\./g, '_'), v);
  details.set('source', event.source);
  details.set('rule', event.rule);
  details.set('priority', event.priority);
  if (event.hostname !== '') details.set('hostname', event.hostname);
  if (event.tags.length > 0) details.set('tags', event.tags.join(', '));
  const d = [...details.keys()]
    .sort()
    .map((k) => `${goJsonString(k)}:${goJsonString(details.get(k) ?? '')}`)
    .join(',');
  return (
    `{"message":${goJsonString(event.output)},"entity":"Falcosidekick",` +
    (event.rule !== '' ? `"description":${goJsonString(event.rule)},` : '') +
    `"details":{${d}},"priority":"${PRIORITY[event.priority]}"}\n`
  );
}
