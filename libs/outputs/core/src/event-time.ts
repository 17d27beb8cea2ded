/**
 * The event's own `time` (RFC 3339 as Falco sends it) read without losing nanoseconds. Outputs stamp
 * documents and points with it rather than with the process clock, so replayed events land right.
 */
export interface EventTime {
  /** Nanoseconds since the Unix epoch. */
  epochNs: bigint;
  /** Wall clock as written (before applying the offset). */
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction digits as written (0–9 digits). */
  fraction: string;
  /** Offset from UTC in minutes; `z` true when written as `Z`. */
  offsetMinutes: number;
  z: boolean;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export function parseEventTime(time: string): EventTime | undefined {
  const m = RFC3339.exec(time);
  if (m === null) return undefined;
  const n = (i: number): number => Number(m[i] ?? '0');
  const z = m[8] !== undefined;
  const offsetMinutes = z ? 0 : (m[9] === '-' ? -1 : 1) * (n(10) * 60 + n(11));
  const fraction = m[7] ?? '';
  const wallMs = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6));
  if (Number.isNaN(wallMs)) return undefined;
  const epochSeconds = BigInt(wallMs / 1000 - offsetMinutes * 60);
  const epochNs = epochSeconds * 1_000_000_000n + BigInt(fraction.padEnd(9, '0') || '0');
  return {
    epochNs,
    year: n(1),
    month: n(2),
    day: n(3),
    hour: n(4),
    minute: n(5),
    second: n(6),
    fraction,
    offsetMinutes,
    z,
  };
}

/** The UTC calendar date of the event (for Elasticsearch index suffixes). */
export function utcDate(
  time: string,
  fallback: Date = new Date(),
): { year: number; month: number; day: number } {
  const t = parseEventTime(time);
  const d = t === undefined ? fallback : new Date(Number(t.epochNs / 1_000_000n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (v: number, w = 2): string => String(v).padStart(w, '0');

/**
 * Go's `time.Time.String()` of the parsed time, as falcosidekick prints it in Slack:
 * `2019-05-17 15:31:56.746609046 +0000 UTC` (fraction without trailing zeros, in the zone as sent;
 * Go names a zero offset `UTC` and an unnamed fixed zone by its offset, `+0200 +0200`).
 */
export function goTimeString(time: string): string {
  const t = parseEventTime(time);
  if (t === undefined) return time;
  const frac = t.fraction.replace(/0+$/, '');
  const sign = t.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(t.offsetMinutes);
  const off = `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  const zone = t.offsetMinutes === 0 ? 'UTC' : off;
  return (
    `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}` +
    (frac === '' ? '' : `.${frac}`) +
    ` ${off} ${zone}`
  );
}

export type TimePrecision = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';
const DIVISORS: Record<TimePrecision, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** The event time as an integer in the given precision (truncated, like InfluxDB clients do). */
export function epochIn(time: string, precision: TimePrecision): string | undefined {
  const t = parseEventTime(time);
  if (t === undefined) return undefined;
  return (t.epochNs / DIVISORS[precision]).toString();
}

/**
 * The one RFC 3339 formatter of outputs: Go's `Format(time.RFC3339Nano)` of an instant in nanoseconds,
 * shown at a fixed offset (`Z` for 0, as Go prints UTC), fraction without trailing zeros — or, with
 * `fraction` false, `time.RFC3339` (whole seconds, truncated).
 */
export function rfc3339Nano(epochNs: bigint, offsetMinutes = 0, fraction = true): string {
  const local = epochNs + BigInt(offsetMinutes) * 60_000_000_000n;
  const ns = ((local % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const d = new Date(Number((local - ns) / 1_000_000n));
  const frac = ns === 0n || !fraction ? '' : `.${ns.toString().padStart(9, '0').replace(/0+$/, '')}`;
  const abs = Math.abs(offsetMinutes);
  const zone =
    offsetMinutes === 0
      ? 'Z'
      : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}${zone}`
  );
}

/**
 * Go's `time.Time` as `encoding/json` (RFC3339Nano) prints the event time moved by `addNs`: in the zone
 * as sent. Undefined when the time is unreadable.
 */
export function goRfc3339Nano(time: string, addNs = 0n): string | undefined {
  const t = parseEventTime(time);
  return t === undefined ? undefined : rfc3339Nano(t.epochNs + addNs, t.offsetMinutes);
}

/** Go's `Format(time.RFC3339)` of the event time: whole seconds (truncated), zone as sent. */
export function goRfc3339Seconds(time: string): string | undefined {
  const t = parseEventTime(time);
  return t === undefined ? undefined : rfc3339Nano(t.epochNs, t.offsetMinutes, false);
}
