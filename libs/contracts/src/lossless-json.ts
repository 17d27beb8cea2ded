/**
 * JSON whose numbers keep their text. Falco sends 19-digit nanosecond integers that a float would round,
 * and Falconer promises that every number leaves exactly as it came in. Numbers whose text survives a
 * round trip through a JS number stay numbers; the others become a LosslessNumber holding the text.
 *
 * Shared by the router (ingest, outputs) and the dashboard (display of exact values).
 */
export class LosslessNumber {
  readonly text: string;
  constructor(text: string) {
    // V8 makes a slice of 13 or more characters a view that keeps the whole source text alive; a stored
    // event must not keep its request body, so long number texts are copied (JSON.parse makes a new string)
    this.text = text.length >= 13 ? (JSON.parse('"' + text + '"') as string) : text;
  }
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
  /** For JSON.stringify callers that do not know the type: the value as a string, never rounded. */
  toJSON(): string {
    return this.text;
  }
}

export type JsonScalar = string | number | boolean | null | LosslessNumber;
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export interface LosslessParseOptions {
  /** Deepest allowed nesting of arrays and objects (hostile input). */
  maxDepth?: number;
}

const MARKER = '\u0000\u0001#';
/** The marker as JSON escapes, for insertion into the text (raw control characters are invalid JSON). */
const MARKER_JSON = '\\u0000\\u0001#';

function needsProtection(token: string): boolean {
  return String(Number(token)) !== token;
}

const CH_QUOTE = 34;
const CH_BACKSLASH = 92;
const CH_MINUS = 45;
const CH_0 = 48;
const CH_9 = 57;
const CH_LBRACE = 123;
const CH_LBRACKET = 91;
const CH_RBRACE = 125;
const CH_RBRACKET = 93;

function isNumberChar(c: number): boolean {
  // digits, '-', '+', '.', 'e', 'E'
  return (c >= CH_0 && c <= CH_9) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

/**
 * Parses JSON text. Numbers whose text would change through a float become LosslessNumber. Keys such as
 * `__proto__` and `constructor` become own data properties, as with JSON.parse: read objects by own keys
 * (`Object.keys`, `Object.hasOwn`), never by walking the prototype.
 */
export function parseLosslessJson(text: string, options: LosslessParseOptions = {}): JsonValue {
  const maxDepth = options.maxDepth ?? 64;
  // One pass over the text outside strings: finds numbers that need their text kept and checks depth.
  // JSON.parse does the real parsing, so its syntax errors are authoritative.
  // Falco's 19-digit numbers sit in `output_fields` of a top-level event: those are patched straight into
  // the parsed object (no text rewrite, no tree walk); any other place takes the general marker path.
  let pieces: string[] | undefined;
  let patches: number[] | undefined;
  let general = false;
  let last = 0;
  let depth = 0;
  // the open containers: true = array
  const arrays: boolean[] = [];
  let inFields = false;
  let keyStart = -1;
  let keyEnd = -1;
  const len = text.length;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === CH_QUOTE) {
      // skip the string: find the closing quote that is not escaped
      const start = i;
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          i = len;
          break;
        }
        if (!isEscaped(text, q)) {
          i = q + 1;
          break;
        }
        j = q + 1;
      }
      if (depth <= 2) {
        let k = i;
        while (k < len && text.charCodeAt(k) <= 32) k++;
        if (text.charCodeAt(k) === 58 /* : */) {
          if (depth === 1) inFields = i - start === 15 && text.startsWith('"output_fields"', start);
          keyStart = start;
          keyEnd = i;
        }
      }
      continue;
    }
    if (c === CH_LBRACE || c === CH_LBRACKET) {
      depth++;
      if (depth > maxDepth) throw new JsonSyntaxError(`nesting deeper than ${maxDepth}`, i);
      arrays[depth] = c === CH_LBRACKET;
      i++;
      continue;
    }
    if (c === CH_RBRACE || c === CH_RBRACKET) {
      if (depth === 2) keyStart = -1;
      depth--;
      i++;
      continue;
    }
    if (c === CH_MINUS || (c >= CH_0 && c <= CH_9)) {
      let j = i + 1;
      while (j < len && isNumberChar(text.charCodeAt(j))) j++;
      const token = text.slice(i, j);
      if (needsProtection(token)) {
        if (depth === 2 && inFields && arrays[2] === false && arrays[1] === false && keyStart >= 0) {
          (patches ??= []).push(keyStart, keyEnd, i, j);
        } else general = true;
        pieces ??= [];
        pieces.push(text.slice(last, i), '"', MARKER_JSON, token, '"');
        last = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  if (pieces !== undefined && !general && patches !== undefined) {
    const patched = patchFields(text, patches);
    if (patched !== undefined) return patched;
  }
  if (pieces !== undefined && text.includes('\\u0000')) {
    // A string in the input could imitate the marker: take the slow, exact path.
    return parseStrict(text, maxDepth);
  }
  let value: unknown;
  try {
    value = JSON.parse(pieces === undefined ? text : pieces.join('') + text.slice(last));
  } catch (err) {
    throw new JsonSyntaxError(err instanceof Error ? err.message : 'invalid JSON', 0);
  }
  return pieces === undefined ? (value as JsonValue) : revive(value);
}

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

/**
 * True when the character at `at` is escaped: an odd number of backslashes stands right before it. (A
 * quote inside a JSON string always is; the quotes around a string never are.)
 */
function isEscaped(text: string, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= 0 && text.charCodeAt(at - n - 1) === CH_BACKSLASH) n++;
  return n % 2 === 1;
}

/**
 * Parses the text as it is and puts the kept number texts into `output_fields`. Undefined when the
 * parsed object does not hold the value the scan saw there (duplicate keys): the general path decides.
 */
function patchFields(text: string, patches: readonly number[]): JsonValue | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new JsonSyntaxError(err instanceof Error ? err.message : 'invalid JSON', 0);
  }
  const fields = (value as { output_fields?: unknown }).output_fields;
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return undefined;
  const obj = fields as Record<string, JsonValue>;
  for (let p = 0; p < patches.length; p += 4) {
    const raw = text.slice(patches[p], patches[p + 1]);
    const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    const token = text.slice(patches[p + 2], patches[p + 3]);
    if (!Object.hasOwn(obj, key) || obj[key] !== Number(token)) return undefined;
    setOwn(obj, key, new LosslessNumber(token));
  }
  return value as JsonValue;
}

function revive(value: unknown): JsonValue {
  if (typeof value === 'string') {
    if (value.startsWith(MARKER)) {
      const token = value.slice(MARKER.length);
      // JSON.parse accepted the token as a string; it must also be a valid JSON number.
      if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(token)) {
        throw new JsonSyntaxError(`invalid number ${JSON.stringify(token)}`, 0);
      }
      return new LosslessNumber(token);
    }
    return value;
  }
  // in place: the tree is fresh from JSON.parse and nobody else holds it
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value as JsonValue[];
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, JsonValue>;
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (typeof v === 'string' ? v.startsWith(MARKER) : v !== null && typeof v === 'object')
        setOwn(obj, key, revive(v));
    }
    return obj;
  }
  return value as JsonValue;
}

/**
 * Sets an own data property, also for the key `__proto__` (which plain assignment would turn into a
 * prototype change). JSON.parse and object spread already behave this way.
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** A complete recursive-descent parser; used only when the fast path cannot be trusted. */
function parseStrict(text: string, maxDepth: number): JsonValue {
  let i = 0;
  const fail = (msg: string): never => {
    throw new JsonSyntaxError(`${msg} at position ${i}`, i);
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const value = (depth: number): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      i++;
      const out: Record<string, JsonValue> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        setOwn(out, key, value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return out;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
      i++;
      const out: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m === null) return fail('unexpected token');
    const token = m[0];
    i += token.length;
    return needsProtection(token) ? new LosslessNumber(token) : Number(token);
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) fail('unterminated string');
      i = q + 1;
      if (!isEscaped(text, q)) break;
    }
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid string');
    }
  };
  const result = value(0);
  ws();
  if (i !== text.length) fail('unexpected data after the JSON value');
  return result;
}

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
