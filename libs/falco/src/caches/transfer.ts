import {
  LosslessNumber,
  setOwn,
  type FalcoEvent,
  type FieldScalar,
  type FieldValue,
} from '@falconer/contracts';
import { internCloned } from './intern';
import type { ParsedEvent } from '../parse';

/**
 * A parsed event as it crosses a thread boundary (postMessage, i.e. the structured clone algorithm).
 * The clone keeps plain data but not classes: a LosslessNumber arrives as a plain `{ text }`. `exact`
 * names the output fields that held one, so the receiving side can make them LosslessNumbers again.
 */
export interface TransferredEvent {
  event: FalcoEvent;
  outputs?: string[];
  exact: string[];
}

/** Why a transferred parse failed: an EventValidationError's parts. */
export interface TransferredRefusal {
  message: string;
  field?: string;
  code: 'invalid_json' | 'invalid_event' | 'invalid_encoding';
}

function isExact(v: FieldValue): boolean {
  if (v instanceof LosslessNumber) return true;
  return Array.isArray(v) && v.some((x) => x instanceof LosslessNumber);
}

/** The sending side: notes which output fields hold exact numbers. */
export function toTransfer(parsed: ParsedEvent): TransferredEvent {
  const exact: string[] = [];
  const fields = parsed.event.output_fields;
  for (const k in fields) if (isExact(fields[k] as FieldValue)) exact.push(k);
  const t: TransferredEvent = { event: parsed.event, exact };
  if (parsed.outputs !== undefined) t.outputs = parsed.outputs;
  return t;
}

function revive(v: FieldScalar): FieldScalar {
  return v !== null && typeof v === 'object' ? new LosslessNumber((v as { text: string }).text) : v;
}

/**
 * The receiving side: exact numbers become LosslessNumbers again, and recurring strings are shared with
 * the events already held (the clone made new copies; see intern). The event object is rebuilt with the
 * same layout as a parsed one, so code downstream sees one shape.
 */
export function fromTransfer(t: TransferredEvent): ParsedEvent {
  const e = t.event;
  const fields = e.output_fields as Record<string, FieldValue>;
  for (const k of t.exact) {
    const v = fields[k] as FieldValue;
    setOwn<FieldValue>(fields, k, Array.isArray(v) ? v.map(revive) : revive(v as FieldScalar));
  }
  for (const k in fields) {
    const v = fields[k];
    if (typeof v === 'string') setOwn<FieldValue>(fields, k, internCloned(v));
  }
  const event: FalcoEvent = {
    uuid: e.uuid,
    output: e.output,
    priority: internCloned(e.priority) as FalcoEvent['priority'],
    rule: internCloned(e.rule),
    time: e.time,
    output_fields: fields,
    source: internCloned(e.source),
    tags: e.tags.map(internCloned),
    hostname: internCloned(e.hostname),
  };
  return t.outputs === undefined ? { event } : { event, outputs: t.outputs };
}
