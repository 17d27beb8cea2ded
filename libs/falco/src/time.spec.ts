import { describe, expect, it } from 'vitest';
import { epochNanos, goTimeString, parseRfc3339 } from './time';

describe('time', () => {
  it('formats like Go Time.String() in UTC', () => {
    expect(goTimeString('2019-05-17T15:31:56.746609046Z')).toBe('2019-05-17 15:31:56.746609046 +0000 UTC');
    expect(goTimeString('2001-01-01T01:10:00Z')).toBe('2001-01-01 01:10:00 +0000 UTC');
    expect(goTimeString('2001-01-01T01:10:00.100Z')).toBe('2001-01-01 01:10:00.1 +0000 UTC');
    expect(goTimeString('2001-01-01T03:10:00.5+02:00')).toBe('2001-01-01 01:10:00.5 +0000 UTC');
  });

  it('gives epoch nanoseconds exactly', () => {
    expect(epochNanos('2019-05-17T15:31:56.746609046Z')).toBe(1558107116746609046n);
    expect(epochNanos('1969-12-31T23:59:59.5Z')).toBe(-500000000n);
  });

  it('refuses what is not RFC 3339', () => {
    for (const t of ['2019-05-17 15:31:56Z', '2019-05-17T15:31:56', '2019-02-30T00:00:00Z', '2019-05-17T25:00:00Z']) {
      expect(parseRfc3339(t)).toBeUndefined();
    }
  });
});
