import { type FalcoEvent, type JsonValue } from '@falconer/contracts';
import { goPrint, goJsonString, stringifyGoSorted } from '@falconer/falco';
import { goRfc3339Seconds } from '@falconer/outputs-core';

// MITRE techniques (`T1070`, `T1055.008`) and tactics (`mitre_execution`), found anywhere in a tag
const TECHNIQUE = /T\d+\.?\d*/;
const TACTIC = /mitre_\w+/;

/** Output fields mapped to Dynatrace semantic attributes (falcosidekick's list). */
const SEMANTIC: readonly [string, string][] = [
  ['container.id', 'container.id'],
  ['container.name', 'container.name'],
  ['container.image', 'container.image.name'],
  ['k8s.ns.name', 'k8s.namespace.name'],
  ['ka.target.namespace', 'k8s.namespace.name'],
  ['k8s.pod.name', 'k8s.pod.name'],
  ['k8s.pod.id', 'k8s.pod.uid'],
  ['proc.name', 'process.executable.name'],
];

const ATTRIBUTE_ORDER = [
  'mitre.technique',
  'mitre.tactic',
  'container.id',
  'container.name',
  'container.image.name',
  'k8s.namespace.name',
  'k8s.pod.name',
  'k8s.pod.uid',
  'process.executable.name',
  'span.id',
];

/** One log record (outputs/dynatrace.go, newDynatracePayload): dtLogMessage's key order, omitempty. */
function record(event: FalcoEvent): string {
  const attrs = new Map<string, string>();
  for (const tag of event.tags) {
    if (TECHNIQUE.test(tag)) attrs.set('mitre.technique', tag);
    else if (TACTIC.test(tag)) attrs.set('mitre.tactic', tag);
  }
  for (const [field, attr] of SEMANTIC) {
    const v = event.output_fields[field];
    if (typeof v === 'string' && v !== '' && !attrs.has(attr)) attrs.set(attr, v);
  }
  const span = event.output_fields['span.id'];
  if (span !== undefined && span !== null) attrs.set('span.id', goPrint(span));
  const content =
    `{"output":${goJsonString(event.output)},` +
    `"output_fields":${stringifyGoSorted(event.output_fields as Record<string, JsonValue>)}` +
    (event.tags.length > 0 ? `,"tags":[${event.tags.map(goJsonString).join(',')}]` : '') +
    '}';
  const parts = [
    `"timestamp":${goJsonString(goRfc3339Seconds(event.time) ?? event.time)}`,
    `"event.id":${goJsonString(event.uuid)}`,
    `"event.name":${goJsonString(event.rule)}`,
    '"event.provider":"Falco"',
    `"severity":${goJsonString(event.priority)}`,
  ];
  if (event.hostname !== '') parts.push(`"host.name":${goJsonString(event.hostname)}`);
  if (event.source !== '') parts.push(`"log.source":${goJsonString(event.source)}`);
  parts.push(`"content":${content}`);
  for (const k of ATTRIBUTE_ORDER) {
    const v = attrs.get(k);
    if (v !== undefined && v !== '') parts.push(`${goJsonString(k)}:${goJsonString(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The ingest body: a JSON array of records (one per event), with the newline of Go's json.Encoder. */
export function formatDynatrace(events: readonly FalcoEvent[]): string {
  return `[${events.map(record).join(',')}]\n`;
}
