/**
 * JSON whose numbers keep their text. Falco sends 19-digit nanosecond integers that a float would round,
 * and Falconer promises that every number leaves exactly as it came in. Numbers whose text survives a
 * round trip through a JS number stay numbers; the others become a LosslessNumber holding the text.
 *
 * This file is the value model and the general parser that the router and the dashboard share (the
 * dashboard reads the API with it). The ingest fast path for single events and the Go-compatible encoders
 * live in libs/falco (`json/`), beside the code that needs their speed.
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

/** True when a JSON number's text would change through a JS number (its text must be kept). */
export function needsProtection(token: string): boolean {
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
 * True when the character at `at` is escaped: an odd number of backslashes stands right before it. (A
 * quote inside a JSON string always is; the quotes around a string never are.)
 */
export function isEscaped(text: string, at: number): boolean {
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
