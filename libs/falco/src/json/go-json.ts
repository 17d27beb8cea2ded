import { LosslessNumber, type JsonValue } from '@falconer/contracts';

/*
 * JSON written byte for byte as falcosidekick's Go encoding/json writes it: outputs and stored events
 * use these; the dashboard never does, so they live here and not in libs/contracts.
 */

const GO_ESCAPES = /[<>&\u2028\u2029]/g;
const GO_ESCAPE_MAP: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Characters that need more than quotes around them (JSON escapes, Go's HTML escapes, surrogates). */
// eslint-disable-next-line no-control-regex -- JSON must escape control characters; finding them is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/;

/** A JSON string literal escaped as Go's encoding/json does (falcosidekick's bytes). */
export function goJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  const json = JSON.stringify(s);
  return GO_ESCAPES.test(json) ? json.replace(GO_ESCAPES, (ch) => GO_ESCAPE_MAP[ch] ?? ch) : json;
}

/**
 * Serialises a value as Go's encoding/json would: object keys in the order given (callers sort when Go
 * would sort a map), numbers with their original text, HTML-sensitive characters escaped.
 */
export function stringifyGo(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof LosslessNumber) return value.text;
  if (Array.isArray(value)) return '[' + value.map((v) => stringifyGo(v)).join(',') + ']';
  const parts: string[] = [];
  for (const key of Object.keys(value)) parts.push(goJsonString(key) + ':' + stringifyGo(value[key]));
  return '{' + parts.join(',') + '}';
}

/** The same, with the keys of every object sorted (Go's map order). */
export function stringifyGoSorted(value: JsonValue | undefined): string {
  if (value === null || value === undefined || typeof value !== 'object' || value instanceof LosslessNumber) {
    return stringifyGo(value);
  }
  if (Array.isArray(value)) return '[' + value.map((v) => stringifyGoSorted(v)).join(',') + ']';
  const keys = Object.keys(value).sort();
  return '{' + keys.map((k) => goJsonString(k) + ':' + stringifyGoSorted(value[k])).join(',') + '}';
}
