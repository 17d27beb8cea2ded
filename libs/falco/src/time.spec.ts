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
    // 146 000 days: seconds on a quiet machine, more on a busy one — a correctness test, not a timing one
  }, 120_000);

  it('refuses what is not RFC 3339', () => {
    for (const t of [
      '2019-05-17 15:31:56Z',
      '2019-05-17T15:31:56',
      '2019-02-30T00:00:00Z',
      '2019-02-29T00:00:00Z',
      '2019-05-17T25:00:00Z',
    ]) {
      expect(parseRfc3339(t)).toBeUndefined();
    }
  });
});
