import { isUtf8 } from 'node:buffer';
import {
  JsonSyntaxError,
  LosslessNumber,
  parseLosslessJson,
  setOwn,
  type FalcoEvent,
  type FieldScalar,
  type FieldValue,
  type JsonValue,
} from '@falconer/contracts';
import { parsePriority } from './priority';
import { parseRfc3339 } from './time';
import { flatRandomUuid, intern } from './caches';
import { parseLosslessEventJson } from './json/lossless-event-json';

export interface EventLimits {
  /** Most output fields one event may carry. */
  maxOutputFields: number;
  /** Longest string value (UTF-16 code units) anywhere in an event. */
  maxStringLength: number;
  /** Deepest JSON nesting. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: EventLimits = {
  maxOutputFields: 1000,
  maxStringLength: 256 * 1024,
  maxDepth: 16,
};

/** Why an event was refused: becomes a 400 `{"error":"invalid_event","message":…,"field":…}`. */
export class EventValidationError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly code: 'invalid_json' | 'invalid_event' | 'invalid_encoding' = 'invalid_event',
  ) {
    super(message);
    this.name = 'EventValidationError';
  }
}

/** An event as received, before enrichment. `outputs` is set when it came in falcosidekick-ui's envelope. */
export interface ParsedEvent {
  event: FalcoEvent;
  outputs?: string[];
}

type Obj = Record<string, JsonValue>;

function isObject(v: JsonValue | undefined): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof LosslessNumber);
}

function kind(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof LosslessNumber) return 'a number';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Decodes a request body: bytes must be UTF-8, text must be one JSON value. */
export function decodeBody(body: Buffer | string, limits: EventLimits = DEFAULT_LIMITS): JsonValue {
  return parseText(bodyText(body), limits, parseLosslessJson);
}

function bodyText(body: Buffer | string): string {
  let text: string;
  if (typeof body === 'string') text = body;
  else {
    text = body.toString('utf8');
    // decoding replaces invalid bytes with U+FFFD: only a body that shows one needs the full check
    if (text.includes('\uFFFD') && !isUtf8(body)) {
      throw new EventValidationError('body is not valid UTF-8', undefined, 'invalid_encoding');
    }
  }
  if (text.length === 0 || (text.length < 64 && text.trim() === '')) {
    throw new EventValidationError(
      'body is empty; expected a Falco event as JSON',
      undefined,
      'invalid_json',
    );
  }
  return text;
}

function parseText(text: string, limits: EventLimits, parse: typeof parseLosslessJson): JsonValue {
  try {
    return parse(text, { maxDepth: limits.maxDepth });
  } catch (err) {
    const msg = err instanceof JsonSyntaxError ? err.message : 'invalid JSON';
    throw new EventValidationError(`body is not valid JSON: ${msg}`, undefined, 'invalid_json');
  }
}

/** Parses one request body holding an event or the `{event, outputs}` envelope. */
export function parseEvent(body: Buffer | string, limits: EventLimits = DEFAULT_LIMITS): ParsedEvent {
  // numbers are kept exactly where an event keeps them (output_fields); validation drops the rest
  return validateEventValue(parseText(bodyText(body), limits, parseLosslessEventJson), limits);
}

/**
 * No size limits: an event read back from a queue, dead-letter list or history was validated when it was
 * accepted (possibly under raised `limits.*`) and may have grown since (enrichment adds fields), so the
 * ingest limits must not apply to it again — a stored event refused here would be an accepted one lost.
 */
export const STORED_EVENT_LIMITS: EventLimits = {
  maxOutputFields: Number.MAX_SAFE_INTEGER,
  maxStringLength: Number.MAX_SAFE_INTEGER,
  // output_fields hold scalars and arrays of scalars: a stored event is 3 levels deep at most
  maxDepth: 16,
};

/** The one decoder for events Falconer stored itself (`serializeEvent` text): lossless, no ingest limits. */
export function decodeStoredEvent(text: string): FalcoEvent {
  const value = parseText(bodyText(text), STORED_EVENT_LIMITS, parseLosslessEventJson);
  const { event } = validateEventValue(value, STORED_EVENT_LIMITS);
  // Falconer's own mark (serializeStoredEvent); ingest never reads it from a sender
  const silenced = isObject(value) ? value['silenced'] : undefined;
  if (!Array.isArray(silenced) || silenced.length === 0) return event;
  return { ...event, silenced: silenced.filter((x): x is string => typeof x === 'string') };
}

/** Validates a decoded JSON value as a Falco event (or the falcosidekick-ui envelope). */
export function validateEventValue(
  value: JsonValue,
  limits: EventLimits = DEFAULT_LIMITS,
  path = '',
): ParsedEvent {
  if (!isObject(value))
    throw new EventValidationError(
      `${path || 'body'}: expected a JSON object, got ${kind(value)}`,
      path || undefined,
    );
  const env = value['event'];
  if (isObject(env) && value['rule'] === undefined) {
    const outputs = value['outputs'];
    let names: string[] | undefined;
    if (outputs !== undefined && outputs !== null) {
      if (!Array.isArray(outputs) || !outputs.every((o) => typeof o === 'string')) {
        throw new EventValidationError(`${path}outputs: expected an array of strings`, `${path}outputs`);
      }
      names = outputs;
    }
    // falcosidekick's webui output writes an event without fields as `{}` or `null` (a nil Go map)
    const event = validateObject(env, limits, `${path}event.`, true);
    return names === undefined ? { event } : { event, outputs: names };
  }
  return { event: validateObject(value, limits, path, false) };
}

/** `v` is read by the caller with a constant name: a load V8 keeps fast, unlike `obj[key]` in here. */
function str(
  v: JsonValue | undefined,
  key: string,
  path: string,
  limits: EventLimits,
  required: boolean,
): string | undefined {
  if (v === undefined || (v === null && !required)) {
    if (required) throw new EventValidationError(`${path}${key}: required`, path + key);
    return undefined;
  }
  if (typeof v !== 'string')
    throw new EventValidationError(`${path}${key}: expected a string, got ${kind(v)}`, path + key);
  if (v.length > limits.maxStringLength) {
    throw new EventValidationError(
      `${path}${key}: longer than ${limits.maxStringLength} characters`,
      path + key,
    );
  }
  return v;
}

function validateObject(obj: Obj, limits: EventLimits, path: string, emptyFields: boolean): FalcoEvent {
  const rawPriority = str(obj['priority'], 'priority', path, limits, true) as string;
  const priority = parsePriority(rawPriority);
  if (priority === undefined) {
    throw new EventValidationError(
      `${path}priority: unknown value ${JSON.stringify(rawPriority)}; expected one of Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug`,
      path + 'priority',
    );
  }
  const rule = str(obj['rule'], 'rule', path, limits, true) as string;
  if (rule.trim() === '') throw new EventValidationError(`${path}rule: must not be empty`, path + 'rule');
  const rawTime = str(obj['time'], 'time', path, limits, true) as string;
  const time = parseRfc3339(rawTime);
  if (time === undefined) {
    throw new EventValidationError(
      `${path}time: ${JSON.stringify(rawTime)} is not an RFC 3339 time`,
      path + 'time',
    );
  }
  const output = str(obj['output'], 'output', path, limits, false) ?? '';
  const source = str(obj['source'], 'source', path, limits, false) ?? '';
  const hostname = str(obj['hostname'], 'hostname', path, limits, false) ?? '';
  const uuid = str(obj['uuid'], 'uuid', path, limits, false);
  let tags: string[] = [];
  const rawTags = obj['tags'];
  if (rawTags !== undefined && rawTags !== null) {
    if (!Array.isArray(rawTags))
      throw new EventValidationError(
        `${path}tags: expected an array of strings, got ${kind(rawTags)}`,
        path + 'tags',
      );
    tags = rawTags.map((t, i) => {
      if (typeof t !== 'string')
        throw new EventValidationError(`${path}tags[${i}]: expected a string, got ${kind(t)}`, path + 'tags');
      return intern(t);
    });
  }
  const rawFields = obj['output_fields'];
  const fields = emptyFields && (rawFields === null || rawFields === undefined) ? {} : rawFields;
  if (!isObject(fields)) {
    throw new EventValidationError(
      `${path}output_fields: expected a non-empty object, got ${kind(fields)}`,
      path + 'output_fields',
    );
  }
  // the parsed object is reused (own keys only, see parseLosslessJson); values are checked in place.
  // for-in, not Object.keys: V8 reads `fields[k]` inside a for-in through the object's enum cache
  let count = 0;
  for (const k in fields) {
    if (++count > limits.maxOutputFields) {
      throw new EventValidationError(
        `${path}output_fields: more than ${limits.maxOutputFields} fields`,
        path + 'output_fields',
      );
    }
    const v = fields[k];
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) scalar(v, k, path, limits);
      // (equal strings compare equal whatever their copy: the shared one is always written back)
      else setOwn(fields, k, intern(v));
    } else fieldValue(v, k, path, limits);
  }
  if (count === 0 && !emptyFields)
    throw new EventValidationError(`${path}output_fields: must not be empty`, path + 'output_fields');
  const outputFields = fields as Record<string, FieldValue>;
  return {
    uuid: uuid === undefined || uuid === '' ? flatRandomUuid() : uuid,
    output,
    priority,
    rule: intern(rule),
    time: time.text,
    output_fields: outputFields,
    // falcosidekick compatibility: a missing source is "syscalls"
    source: source === '' ? 'syscalls' : intern(source),
    tags,
    hostname: intern(hostname),
  };
}

function scalar(v: JsonValue | undefined, key: string, path: string, limits: EventLimits): FieldScalar {
  if (typeof v === 'string') {
    if (v.length <= limits.maxStringLength) return v;
    const field = `${path}output_fields.${key}`;
    throw new EventValidationError(`${field}: longer than ${limits.maxStringLength} characters`, field);
  }
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || v instanceof LosslessNumber) return v;
  const field = `${path}output_fields.${key}`;
  throw new EventValidationError(
    `${field}: expected a string, number, boolean or null, got ${kind(v)}`,
    field,
  );
}

function fieldValue(v: JsonValue | undefined, key: string, path: string, limits: EventLimits): void {
  if (Array.isArray(v)) {
    for (const x of v) scalar(x, key, path, limits);
  } else scalar(v, key, path, limits);
}
