import { asBool, asInt, asString, asStringMap, isSecretKey, parseDuration } from '@falconer/util';

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
      // Never echo the value of a secret (or of headers, which often carry credentials).
      this.error(
        key,
        isSecretKey(key) || key === 'customheaders' ? message.replace(/,? got .*$/s, '') : message,
      );
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
