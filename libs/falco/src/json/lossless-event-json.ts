import {
  JsonSyntaxError,
  LosslessNumber,
  isEscaped,
  needsProtection,
  parseLosslessJson,
  setOwn,
  type JsonValue,
  type LosslessParseOptions,
} from '@falconer/contracts';

/*
 * The ingest fast path for one event's JSON: speed work that only the router's edge needs, so it lives
 * here and not in libs/contracts (which the dashboard bundles). It falls back to the general lossless
 * parser of libs/contracts whenever it cannot prove its answer.
 */

const CH_QUOTE = 34;
const CH_BACKSLASH = 92;
const CH_MINUS = 45;
const CH_0 = 48;

/**
 * A Falco event's JSON (or falcosidekick-ui's `{event, outputs}` envelope) with exact numbers where an
 * event keeps numbers: the values of its `output_fields`. Validation drops every other key, so numbers
 * elsewhere may come back as plain floats. One JSON.parse, then one regular-expression pass for number
 * texts after a `:` that a float would change; each is put in place through its key, which must be
 * spelled literally and occur once. Whenever that cannot be proven (escapes, duplicate keys, numbers in
 * arrays, more brackets than `maxDepth`), parseLosslessJson decides. Same errors as parseLosslessJson.
 */
export function parseLosslessEventJson(text: string, options: LosslessParseOptions = {}): JsonValue {
  const maxDepth = options.maxDepth ?? 64;
  // at most maxDepth brackets in the whole text: no nesting can be deeper, the depth check is not needed
  if (!bracketsAtMost(text, maxDepth)) return parseLosslessJson(text, options);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new JsonSyntaxError(err instanceof Error ? err.message : 'invalid JSON', 0);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value as JsonValue;
  const top = value as Record<string, unknown>;
  const env = top['event'];
  // the object validation will read (see validateEventValue in libs/falco)
  const holder =
    env !== null && typeof env === 'object' && !Array.isArray(env) && top['rule'] === undefined
      ? (env as Record<string, unknown>)
      : top;
  const fields = holder['output_fields'];
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return value as JsonValue;
  return exactFields(text, fields as Record<string, JsonValue>, text.includes('\\u'))
    ? (value as JsonValue)
    : parseLosslessJson(text, options);
}

function bracketsAtMost(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++n > max) return false;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) if (++n > max) return false;
  return true;
}

/**
 * A JSON number right after a `:` and before the end of its object member, of a kind whose text a float
 * may change: 15 digits or more, a fraction or an exponent, or -0 (shorter plain integers always print as
 * they are spelled). Every such member value matches, and some look-alikes inside strings that the
 * caller sorts out.
 */
const MEMBER_NUMBER =
  /:[ \t\n\r]*(-?(?:[1-9]\d{14,}|(?:0|[1-9]\d*)(?:\.\d+(?:[eE][+-]?\d+)?|[eE][+-]?\d+))|-0)(?=[ \t\n\r]*[,}])/g;

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Gives the numbers of `fields` whose text a float would change that text. False when a number's place
 * cannot be proven: the caller then drops this parse (which may be half patched) and takes the general
 * parser.
 */
function exactFields(text: string, fields: Record<string, JsonValue>, escapes: boolean): boolean {
  for (const key in fields) {
    const v = fields[key];
    // numbers in arrays: the general parser
    if (Array.isArray(v) && v.some((x) => typeof x === 'number')) return false;
  }
  // Without \u escapes every "output_fields" key is spelled so: the object's members all come after
  // the first such key (a quote with an odd number of backslashes before it is inside a string).
  let from = 0;
  if (!escapes) {
    from = text.indexOf('"output_fields"');
    while (from > 0 && isEscaped(text, from)) from = text.indexOf('"output_fields"', from + 1);
    if (from < 0) from = 0;
  }
  MEMBER_NUMBER.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = MEMBER_NUMBER.exec(text)) !== null) {
    const token = m[1] as string;
    if (!mayChange(token)) continue;
    // the key before the colon; a quote with an odd number of backslashes before it is inside a string
    let q = m.index - 1;
    while (q >= 0 && isJsonSpace(text.charCodeAt(q))) q--;
    if (text.charCodeAt(q) !== CH_QUOTE || isEscaped(text, q)) continue;
    const open = text.lastIndexOf('"', q - 1);
    if (open < 0 || text.charCodeAt(open - 1) === CH_BACKSLASH) return false;
    const key = text.slice(open + 1, q);
    if (key.includes('\\') || key.includes('/')) return false;
    // with \u escapes a key could also be spelled otherwise: the literal one need not be output_fields'
    if (escapes) return false;
    if (!Object.hasOwn(fields, key)) continue;
    // the key spelled once in the whole text: this member is the one in output_fields
    const needle = text.slice(open, q + 1);
    if (text.indexOf(needle) !== open || text.indexOf(needle, q + 1) >= 0) return false;
    if (fields[key] !== Number(token)) return false;
    setOwn(fields, key, new LosslessNumber(token));
  }
  return true;
}

/**
 * needsProtection without printing the float where the answer is plain: an integer of 18 digits or more
 * that does not end in 0 never prints as it is spelled (a double prints at most 17 significant digits).
 * Falco's nanosecond times are such integers.
 */
function mayChange(token: string): boolean {
  const digits = token.charCodeAt(0) === CH_MINUS ? token.length - 1 : token.length;
  if (digits >= 18 && token.charCodeAt(token.length - 1) !== CH_0 && /^-?\d+$/.test(token)) return true;
  return needsProtection(token);
}
