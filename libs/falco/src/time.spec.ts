import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './time';

describe('time', () => {
  it('normalises like Go RFC3339Nano and reads milliseconds and nanoseconds', () => {
    expect(parseRfc3339('2019-05-17T15:31:56.746609046Z')).toEqual({
      text: '2019-05-17T15:31:56.746609046Z',
      ms: 1558107116746,
      nanos: 746609046,
    });
    expect(parseRfc3339('2019-05-17T17:31:56.100+02:00')?.text).toBe('2019-05-17T17:31:56.1+02:00');
    expect(parseRfc3339('2019-05-17T15:31:56+00:00')?.text).toBe('2019-05-17T15:31:56Z');
    expect(parseRfc3339('2020-02-29T00:00:00Z')?.ms).toBe(Date.UTC(2020, 1, 29));
    for (const t of [
      '2019-05-17T17:31:56.100+02:00',
      '2019-05-17T10:01:56.123456789-05:30',
      '1969-12-31T23:59:59.5Z',
    ]) {
      expect(parseRfc3339(t)?.ms, t).toBe(Date.parse(t.replace(/(\.\d{3})\d+/, '$1')));
    }
  });

  it('agrees with Date.UTC on every day of four centuries and at the edges of years', () => {
    for (let t = Date.UTC(1900, 0, 1); t < Date.UTC(2300, 0, 1); t += 86_400_000) {
      const iso = new Date(t).toISOString();
      expect(parseRfc3339(iso)?.ms, iso).toBe(t);
    }
    // (Date.UTC would read year 1 as 1901)
    expect(parseRfc3339('0001-01-01T00:00:00Z')?.ms).toBe(Date.parse('0001-01-01T00:00:00Z'));
    expect(parseRfc3339('9999-12-31T23:59:59.999999999Z')?.ms).toBe(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
    // ~146 000 parses: seconds on a loaded 2-core machine, so no 5 s default timeout
  }, 60_000);

  // Each case checked against RFC 3339 §5.6 and Go's time.Parse(time.RFC3339Nano, …) (falcosidekick
  // decodes `time` with it): accepted only when both accept; the text is what Go's RFC3339Nano prints.
  const accepted: [string, string][] = [
    ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00Z'],
    ['2026-11-22T10:00:00.123456789Z', '2026-11-22T10:00:00.123456789Z'],
    ['2026-11-22T10:00:00.000Z', '2026-11-22T10:00:00Z'],
    ['2026-11-22T10:00:00.120-00:00', '2026-11-22T10:00:00.12Z'],
    ['2026-11-22T10:00:00.5+05:30', '2026-11-22T10:00:00.5+05:30'],
    ['2026-11-22T10:00:00.123456789+23:59', '2026-11-22T10:00:00.123456789+23:59'],
    ['2026-11-22T10:00:00-23:59', '2026-11-22T10:00:00-23:59'],
    // more than nine fraction digits: RFC 3339 allows them, Go keeps nine (truncated, not rounded)
    ['2026-11-22T10:00:00.1234567899Z', '2026-11-22T10:00:00.123456789Z'],
    ['2026-11-22T10:00:00.0000000001Z', '2026-11-22T10:00:00Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00Z'],
    ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00Z'],
  ];
  const refused: [string, string][] = [
    ['2026-11-22T10:00:00.123456789+25:00', 'offset hour above 23 (Go refuses above 24)'],
    ['2026-11-22T10:00:00+24:00', 'offset hour 24 (Go takes it, RFC 3339 does not)'],
    ['2026-11-22T10:00:00-24:00', 'offset hour 24'],
    ['2026-11-22T10:00:00+23:60', 'offset minute 60'],
    ['2026-11-22T10:00:00+0200', 'offset without colon'],
    ['2026-11-22T10:00:00+02', 'offset without minutes'],
    ['2016-12-31T23:59:60Z', 'leap second (Go refuses second 60)'],
    ['2026-11-22t10:00:00Z', 'lower-case t (Go refuses it)'],
    ['2026-11-22T10:00:00z', 'lower-case z (Go refuses it)'],
    ['2026-11-22 10:00:00Z', 'space for T'],
    ['2026-11-22T10:00:00', 'no zone'],
    ['2026-11-22T10:00:00.Z', 'empty fraction'],
    ['2026-11-22T10:00:00,5Z', 'comma fraction'],
    ['2026-11-22T1:00:00Z', 'one-digit hour'],
    ['2026-11-22T10:00:00Z ', 'trailing space'],
    [' 2026-11-22T10:00:00Z', 'leading space'],
    ['2026-13-01T00:00:00Z', 'month 13'],
    ['2026-00-01T00:00:00Z', 'month 0'],
    ['2026-11-00T00:00:00Z', 'day 0'],
    ['2026-11-31T00:00:00Z', 'November 31'],
    ['1900-02-29T00:00:00Z', '1900 is not a leap year'],
    ['2019-02-29T00:00:00Z', 'not a leap year'],
    ['2026-11-22T24:00:00Z', 'hour 24'],
    ['2026-11-22T10:60:00Z', 'minute 60'],
    ['-001-01-01T00:00:00Z', 'negative year'],
    ['10000-01-01T00:00:00Z', 'five-digit year'],
    ['２０２６-11-22T10:00:00Z', 'full-width digits'],
    ['', 'empty'],
  ];

  it.each(accepted)('accepts %s as %s', (input, text) => {
    const t = parseRfc3339(input);
    expect(t?.text).toBe(text);
    // its milliseconds are those of the Go text (Date.parse reads at most milliseconds)
    expect(t?.ms).toBe(Date.parse(text.replace(/(\.\d{3})\d+/, '$1')));
  });

  it.each(refused)('refuses %s (%s)', (input) => {
    expect(parseRfc3339(input)).toBeUndefined();
  });
});
