import { type FalcoEvent } from '@falconer/contracts';
import { serializeEvent, goJsonString, stringifyGoSorted } from '@falconer/falco';
import { epochIn } from '@falconer/outputs-core';
import type { LokiConfig } from './loki.config';

type Fmt = Pick<LokiConfig, 'format' | 'extraLabels'>;

/** An output field name as a Loki label: dots to `_`, brackets dropped (falcosidekick's mapping). */
export const lokiLabel = (field: string): string => field.replace(/\./g, '_').replace(/[[\]]/g, '');

/** falcosidekick's stream labels for one event (outputs/loki.go, newLokiPayload). */
export function lokiLabels(event: FalcoEvent, cfg: Fmt): Map<string, string> {
  const s = new Map<string, string>([
    ['rule', event.rule],
    ['source', event.source],
    ['priority', event.priority],
  ]);
  const ns = event.output_fields['k8s.ns.name'];
  if (typeof ns === 'string') s.set('k8s_ns_name', ns);
  const pod = event.output_fields['k8s.pod.name'];
  if (typeof pod === 'string') s.set('k8s_pod_name', pod);
  for (const field of cfg.extraLabels) {
    const v = event.output_fields[field];
    if (typeof v === 'string') s.set(lokiLabel(field), v.replace(/"/g, ''));
  }
  if (event.hostname !== '') s.set('hostname', event.hostname);
  if (event.tags.length > 0) s.set('tags', [...event.tags].sort().join(','));
  return s;
}

/** The label set as Go marshals a `map[string]string`: keys sorted. */
const labelsJson = (m: ReadonlyMap<string, string>): string => stringifyGoSorted(Object.fromEntries(m));

/** `["<unix ns>","<line>"]`: the event's own time, to the nanosecond. */
function value(event: FalcoEvent, cfg: Fmt): string {
  const line = cfg.format === 'json' ? serializeEvent(event) : event.output;
  return `[${goJsonString(epochIn(event.time, 'ns') ?? '0')},${goJsonString(line)}]`;
}

/**
 * One push for a batch: events with the same label set share a stream (values in arrival order), as
 * Loki's own clients batch. For one event it is falcosidekick's body byte for byte, with the newline of
 * Go's json.Encoder.
 */
export function formatLoki(events: readonly FalcoEvent[], cfg: Fmt): string {
  const streams = new Map<string, string[]>();
  for (const e of events) {
    const key = labelsJson(lokiLabels(e, cfg));
    const values = streams.get(key);
    if (values) values.push(value(e, cfg));
    else streams.set(key, [value(e, cfg)]);
  }
  const parts = [...streams].map(([labels, values]) => `{"stream":${labels},"values":[${values.join(',')}]}`);
  return `{"streams":[${parts.join(',')}]}\n`;
}
