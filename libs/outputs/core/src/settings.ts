import { asBool, asInt, asString, asStringList, asStringMap, parseDuration } from '@falconer/util';
import { ROUTED_KEYS, type SettingsSchema, type SettingValues } from './descriptor';

/**
 * Reads one output instance's raw settings (YAML types or environment strings, keys lower-cased) into
 * typed values, collecting every problem as `<path>.<key>: <message>` instead of stopping at the first.
 * Nested keys (`batching.enabled`) are found flat or as nested maps, as the loader may give either.
 */
export class SettingsReader {
  readonly errors: string[] = [];

  constructor(
    private readonly settings: Readonly<Record<string, unknown>>,
    /** Where the settings came from, e.g. `slack` or `outputs[2]`. */
    readonly path: string,
    /** Keys whose values must never appear in a message (the schema's secrets). */
    private readonly secrets: ReadonlySet<string> = new Set(),
  ) {}

  /** The raw value of a (possibly dotted) key; undefined when absent or empty. */
  raw(key: string): unknown {
    const flat = this.settings[key];
    if (flat !== undefined) return flat;
    const parts = key.split('.');
    let cur: unknown = this.settings;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
    return cur;
  }

  private read<T>(key: string, fallback: T, coerce: (v: unknown) => T): T {
    const v = this.raw(key);
    if (v === undefined || v === null || v === '') return fallback;
    try {
      return coerce(v);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Never echo the value of a secret.
      this.error(key, this.secrets.has(key) ? message.replace(/,? got .*$/s, '') : message);
      return fallback;
    }
  }

  error(key: string, message: string): void {
    this.errors.push(`${this.path}.${key}: ${message}`);
  }

  string(key: string, fallback = ''): string {
    return this.read(key, fallback, asString);
  }

  bool(key: string, fallback: boolean): boolean {
    return this.read(key, fallback, asBool);
  }

  int(key: string, fallback: number, min?: number, max?: number): number {
    return this.read(key, fallback, (v) => asInt(v, min, max));
  }

  /** Milliseconds. */
  duration(key: string, fallbackMs: number): number {
    return this.read(key, fallbackMs, parseDuration);
  }

  map(key: string): Record<string, string> {
    return this.read(key, Object.create(null) as Record<string, string>, asStringMap);
  }

  list(key: string, fallback: readonly string[] = []): string[] {
    return this.read(key, [...fallback], asStringList);
  }

  /** One of a closed set, compared case-insensitively; returns the canonical spelling. */
  oneOf<T extends string>(key: string, values: readonly T[], fallback: T): T {
    return this.read(key, fallback, (v) => {
      const s = asString(v).trim().toLowerCase();
      const hit = values.find((x) => x.toLowerCase() === s);
      if (hit === undefined) throw new Error(`expected ${values.join('|')}, got "${asString(v)}"`);
      return hit;
    });
  }

  /** An absolute http(s) URL; `required` reports a missing value. */
  url(key: string, required: boolean): string {
    const s = this.string(key).trim();
    if (s === '') {
      if (required) this.error(key, 'required');
      return '';
    }
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      this.error(key, 'not a URL');
      return s;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      this.error(key, 'not a URL (expected http:// or https://)');
    return s;
  }
}

/**
 * Reads one instance's raw settings through its descriptor's schema: every key coerced to its type with
 * its default, `required` keys checked. Every problem is collected as `<path>.<key>: <message>`. Keys the
 * schema does not know are returned in `unknown` (warned about: falcosidekick ignores them, so a
 * drop-in must not refuse a file for them, but a typo should not pass unseen).
 */
export function readSettings<S extends SettingsSchema>(
  schema: S,
  raw: Readonly<Record<string, unknown>>,
  path: string,
): { values: SettingValues<S>; errors: string[]; unknown: string[] } {
  const secrets = new Set(
    Object.entries(schema)
      .filter(([, s]) => s.secret)
      .map(([k]) => k),
  );
  const r = new SettingsReader(raw, path, secrets);
  const values: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(schema)) {
    if (ROUTED_KEYS.has(key)) {
      values[key] = s.default;
      continue;
    }
    switch (s.kind) {
      case 'string':
        values[key] = r.string(key, s.default as string);
        if (s.required && values[key] === '') r.error(key, 'required');
        break;
      case 'url':
        values[key] = r.url(key, s.required);
        break;
      case 'bool':
        values[key] = r.bool(key, s.default as boolean);
        break;
      case 'int':
        values[key] = r.int(key, s.default as number, s.min, s.max);
        break;
      case 'duration':
        values[key] = r.duration(key, s.default as number);
        break;
      case 'map':
        values[key] = r.map(key);
        break;
      case 'list':
        values[key] = r.list(key, s.default as string[]);
        if (s.required && (values[key] as string[]).length === 0) r.error(key, 'required');
        break;
      case 'enum':
        values[key] = r.oneOf(key, s.values ?? [], s.default as string);
        break;
    }
  }
  return { values: values as SettingValues<S>, errors: r.errors, unknown: leafKeys(raw, schema) };
}

/** Dotted keys of `raw` that the schema does not know (a map-typed key's own entries are not leaves). */
function leafKeys(raw: Readonly<Record<string, unknown>>, schema: SettingsSchema, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const key = prefix + k;
    if (Object.prototype.hasOwnProperty.call(schema, key)) continue;
    const nested = v !== null && typeof v === 'object' && !Array.isArray(v);
    const isPrefix = Object.keys(schema).some((s) => s.startsWith(key + '.'));
    if (nested && isPrefix) out.push(...leafKeys(v as Record<string, unknown>, schema, key + '.'));
    else out.push(key);
  }
  return out;
}
