const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface ParsedTime {
  /** As Go's time.RFC3339Nano prints it: fraction without trailing zeros, `Z` for UTC. */
  text: string;
  /** Epoch milliseconds. */
  ms: number;
  /** Nanoseconds within the second. */
  nanos: number;
}

/** Validates an RFC 3339 timestamp (any offset) and normalises it the way falcosidekick re-marshals it. */
export function parseRfc3339(value: string): ParsedTime | undefined {
  const m = RFC3339.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  const year = Number(y);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : (DAYS[month] ?? 31);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 60
  ) {
    return undefined;
  }
  const zoneText = zone === 'z' || zone === '+00:00' ? 'Z' : zone.toUpperCase();
  const base = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  const offsetMinutes =
    zoneText === 'Z'
      ? 0
      : (zoneText[0] === '-' ? -1 : 1) * (Number(zoneText.slice(1, 3)) * 60 + Number(zoneText.slice(4, 6)));
  const ms =
    Date.UTC(
      year,
      month - 1,
      day,
      Number(h),
      Number(mi),
      Number(s),
      frac === '' ? 0 : Number(frac.slice(0, 3).padEnd(3, '0')),
    ) -
    offsetMinutes * 60_000;
  if (Number.isNaN(ms)) return undefined;
  const trimmed = frac.replace(/0+$/, '');
  return {
    text: `${base}${trimmed === '' ? '' : '.' + trimmed}${zoneText}`,
    ms,
    nanos: Number(frac.padEnd(9, '0') || '0'),
  };
}
