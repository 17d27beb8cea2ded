const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface ParsedTime {
  /** As Go's time.RFC3339Nano prints it: fraction without trailing zeros, `Z` for UTC. */
  readonly text: string;
  /** Epoch milliseconds. */
  readonly ms: number;
  /** Nanoseconds within the second. */
  readonly nanos: number;
}

/** The number spelled by `n` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): plain integer
 * arithmetic, cheaper than Date.UTC on the ingest path, and exact for every year 0000-9999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Validates an RFC 3339 timestamp (any offset) and normalises it the way falcosidekick re-marshals it.
 * Accepts what both RFC 3339 and Go's `time.Parse(time.RFC3339Nano, …)` (falcosidekick's decoder)
 * accept: `T` and `Z` in upper case (Go refuses `t`/`z`), seconds 00-59 (Go refuses a leap second 60),
 * offsets -23:59..+23:59 (RFC 3339's grammar; Go alone would take +24:00), and any number of fraction
 * digits (RFC 3339 allows them; Go keeps the first nine, and so does this). The table in time.spec.ts
 * lists each case. Read character by character: this runs for every event on the ingest path.
 */
export function parseRfc3339(value: string): ParsedTime | undefined {
  // validation and then the history read each event's time: the second read is answered from here
  if (value === lastValue) return lastParsed;
  const parsed = parseTime(value);
  lastValue = value;
  lastParsed = parsed;
  return parsed;
}

let lastValue: string | undefined;
let lastParsed: ParsedTime | undefined;

function parseTime(value: string): ParsedTime | undefined {
  const len = value.length;
  if (len < 20) return undefined;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  const t = value.charCodeAt(10);
  if (
    value.charCodeAt(4) !== 45 /* - */ ||
    value.charCodeAt(7) !== 45 ||
    t !== 84 /* T */ ||
    value.charCodeAt(13) !== 58 /* : */ ||
    value.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : (DAYS[month] ?? 31);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return undefined;
  }
  // fraction: one digit or more; nanoseconds are the first nine (Go truncates the rest)
  let i = 19;
  let nanos = 0;
  let lastNonZero = 19; // end of the first nine fraction digits without their trailing zeros
  let truncated = false;
  if (value.charCodeAt(i) === 46 /* . */) {
    i++;
    const from = i;
    let scale = 100_000_000;
    for (;;) {
      const d = value.charCodeAt(i) - 48;
      if (!(d >= 0 && d <= 9)) break;
      i++;
      if (i - from > 9) {
        truncated = true;
        continue;
      }
      nanos += d * scale;
      scale /= 10;
      if (d !== 0) lastNonZero = i;
    }
    if (i === from) return undefined;
  }
  // zone: Z or ±hh:mm, then the end
  let offsetMinutes = 0;
  let zoneText = 'Z';
  const z = value.charCodeAt(i);
  if (z === 90 /* Z */) {
    if (i + 1 !== len) return undefined;
  } else if (z === 43 /* + */ || z === 45 /* - */) {
    const oh = digits(value, i + 1, 2);
    const om = digits(value, i + 4, 2);
    if (i + 6 !== len || oh < 0 || oh > 23 || om < 0 || om > 59 || value.charCodeAt(i + 3) !== 58)
      return undefined;
    offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om);
    // Go prints a zero offset as Z
    if (offsetMinutes !== 0) zoneText = value.slice(i);
  } else return undefined;
  const ms =
    (daysFromCivil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second) * 1_000 +
    Math.floor(nanos / 1_000_000) -
    offsetMinutes * 60_000;
  // usually the text is already as Go prints it
  const asIs = !truncated && lastNonZero === i && z === 90;
  return {
    text: asIs ? value : value.slice(0, 10) + 'T' + value.slice(11, lastNonZero) + zoneText,
    ms,
    nanos,
  };
}
