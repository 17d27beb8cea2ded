import { LosslessNumber, PRIORITIES, parseLosslessJson, type FalcoEvent, type FieldValue, type Priority } from '@falconer/contracts';

/** Parses an event's JSON text (socket `event`, NDJSON line) keeping 19-digit numbers exact. */
export function parseEvent(text: string): FalcoEvent {
  return parseLosslessJson(text) as unknown as FalcoEvent;
}

/** A field value as text, exactly as Falco sent it (LosslessNumber keeps its digits). */
export function fieldText(value: FieldValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (value instanceof LosslessNumber) return value.text;
  if (Array.isArray(value)) return (value as readonly FieldValue[]).map((v) => fieldText(v)).join(', ');
  return String(value as string | number | boolean);
}

export function field(event: FalcoEvent, name: string): string {
  return fieldText(event.output_fields[name]);
}

export const namespaceOf = (e: FalcoEvent): string => field(e, 'k8s.ns.name');
export const podOf = (e: FalcoEvent): string => field(e, 'k8s.pod.name');
export function imageOf(e: FalcoEvent): string {
  const repo = field(e, 'container.image.repository');
  const tag = field(e, 'container.image.tag');
  return repo === '' ? '' : tag === '' ? repo : `${repo}:${tag}`;
}

export function isPriority(p: string): p is Priority {
  return (PRIORITIES as readonly string[]).includes(p);
}

/** CSS class carrying the priority colour (see styles.css). */
export function priorityClass(p: string): string {
  return `prio prio-${isPriority(p) ? p.toLowerCase() : 'debug'}`;
}

/** Local time with milliseconds, compact for tables. */
export function formatTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
