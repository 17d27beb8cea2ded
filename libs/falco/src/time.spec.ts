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
