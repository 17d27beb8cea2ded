import type { FalcoEvent } from '@falconer/contracts';
import { goSprint } from '@falconer/falco';
import { goTimeString, parseEventTime } from '@falconer/outputs-core';

/** OpenTelemetry's `[seconds, nanoseconds]`: the event time without losing its nanoseconds. */
export function hrTime(event: FalcoEvent, addMs = 0): [number, number] {
  const ns =
    (parseEventTime(event.time)?.epochNs ?? BigInt(Date.now()) * 1_000_000n) + BigInt(addMs) * 1_000_000n;
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** The attributes of falcosidekick's log record (outputs/otlp_logs.go, OTLPLogsPost). */
export function logAttributes(event: FalcoEvent): Record<string, string> {
  return {
    priority: event.priority,
    source: event.source,
    rule: event.rule,
    hostname: event.hostname,
    tags: event.tags.join(','),
    timestamp: goTimeString(event.time),
  };
}

/**
 * The attributes of falcosidekick's span (outputs/otlp_traces.go, newTrace): uuid, source, priority,
 * rule, hostname, tags, then every output field printed with `%v`.
 */
export function spanAttributes(event: FalcoEvent): Record<string, string | string[]> {
  const attrs: Record<string, string | string[]> = {
    uuid: event.uuid,
    source: event.source,
    priority: event.priority,
    rule: event.rule,
    hostname: event.hostname,
    tags: [...event.tags],
  };
  for (const [k, v] of Object.entries(event.output_fields)) attrs[k] = goSprint(v);
  return attrs;
}

const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

/** FNV-1a, 128 bits, as hex (Go's hash/fnv New128a). */
export function fnv128a(text: string): string {
  let h = FNV128_OFFSET;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= BigInt(b);
    h = (h * FNV128_PRIME) & MASK128;
  }
  return h.toString(16).padStart(32, '0');
}

/**
 * falcosidekick's trace id (generateTraceID): one trace per pod (`<ns>:<pod>`), else per container, else
 * per `evt.hostname`, hashed. Falconer falls back to the event uuid where falcosidekick drops the event.
 */
export function traceIdOf(event: FalcoEvent): string {
  const f = (k: string): string => {
    const v = event.output_fields[k];
    return typeof v === 'string' ? v : '';
  };
  const ns = f('k8s.ns.name');
  const pod = f('k8s.pod.name');
  const container = f('container.id');
  let key = '';
  if (ns !== '' && pod !== '') key = `${ns}:${pod}`;
  else if (container !== '' && container !== 'host') key = container;
  else if (f('evt.hostname') !== '') key = f('evt.hostname');
  return fnv128a(key !== '' ? key : event.uuid);
}
