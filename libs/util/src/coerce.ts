/**
 * Coercion of configuration values that may come from YAML (typed) or from environment variables
 * (strings, falcosidekick conventions: maps as `k1:v1,k2:v2`, lists as `a,b`).
 * Each returns the value or throws an Error whose message reads well after "<key>: ".
 */

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Go-style durations (`1s`, `1m30s`, `500ms`, `168h`, `7d`) or a bare number of seconds; returns milliseconds. */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 1000;
  if (typeof value !== 'string')
    throw new Error(`expected a duration such as 5s or 2m, got ${describe(value)}`);
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] ?? 0);
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== s.length)
    throw new Error(`expected a duration such as 5s or 2m, got "${s}"`);
  return total;
}

export function asBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes' || s === 'on') return true;
    if (s === 'false' || s === '0' || s === 'no' || s === 'off' || s === '') return false;
  }
  throw new Error(`expected true or false, got ${describe(value)}`);
}

export function asInt(value: unknown, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new Error(`expected a whole number, got ${describe(value)}`);
  if (n < min || n > max) throw new Error(`expected a number from ${min} to ${max}, got ${n}`);
  return n;
}

export function asString(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
  throw new Error(`expected a string, got ${describe(value)}`);
}

/** `a,b` or a YAML list. */
export function asStringList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (Array.isArray(value)) return value.map((v) => asString(v));
  throw new Error(`expected a list, got ${describe(value)}`);
}

/** `k1:v1,k2:v2` or a YAML map; keys keep their case. Null-prototype result. */
export function asStringMap(value: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (value === undefined || value === null || value === '') return out;
  if (typeof value === 'string') {
    for (const part of value.split(',')) {
      if (part.trim() === '') continue;
      const i = part.indexOf(':');
      if (i <= 0) throw new Error(`expected key:value pairs separated by commas, got "${part}"`);
      out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
    return out;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = asString(v);
    return out;
  }
  throw new Error(`expected a map, got ${describe(value)}`);
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a map';
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
}
