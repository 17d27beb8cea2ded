import { describe, expect, it } from 'vitest';
import {
  epochIn,
  goRfc3339Nano,
  goRfc3339Seconds,
  goTimeString,
  parseEventTime,
  rfc3339Nano,
  utcDate,
} from './event-time';

describe('event time', () => {
  it("formats Go's RFC3339Nano of an instant in UTC or at an offset, and RFC3339 without the fraction", () => {
    const ns = (time: string): bigint => parseEventTime(time)!.epochNs;
    expect(rfc3339Nano(ns('2019-05-17T15:31:56.746609046Z'))).toBe('2019-05-17T15:31:56.746609046Z');
    expect(rfc3339Nano(ns('2019-05-17T17:31:56.7466Z'))).toBe('2019-05-17T17:31:56.7466Z');
    expect(rfc3339Nano(ns('2019-05-18T01:00:00.000+02:00'))).toBe('2019-05-17T23:00:00Z');
    expect(rfc3339Nano(ns('2019-05-18T01:00:00.5+02:00'), 120)).toBe('2019-05-18T01:00:00.5+02:00');
    expect(rfc3339Nano(ns('2019-05-17T15:31:56.746609046Z'), -90, false)).toBe('2019-05-17T14:01:56-01:30');
    expect(rfc3339Nano(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
  });

  it('prints Go Time.String() with trailing fraction zeros dropped', () => {
    expect(goTimeString('2019-05-17T15:31:56.746609046Z')).toBe('2019-05-17 15:31:56.746609046 +0000 UTC');
    expect(goTimeString('2001-01-01T01:10:00Z')).toBe('2001-01-01 01:10:00 +0000 UTC');
    expect(goTimeString('2001-01-01T01:10:00.120000000Z')).toBe('2001-01-01 01:10:00.12 +0000 UTC');
    expect(goTimeString('2001-01-01T01:10:00.5+02:00')).toBe('2001-01-01 01:10:00.5 +0200 +0200');
    expect(goTimeString('2001-01-01T01:10:00-05:30')).toBe('2001-01-01 01:10:00 -0530 -0530');
    expect(goTimeString('not a time')).toBe('not a time');
  });

  it('keeps nanoseconds in the epoch', () => {
    expect(parseEventTime('2019-05-17T15:31:56.746609046Z')?.epochNs).toBe(1558107116746609046n);
    expect(epochIn('2019-05-17T15:31:56.746609046Z', 'ns')).toBe('1558107116746609046');
    expect(epochIn('2019-05-17T15:31:56.746609046Z', 'us')).toBe('1558107116746609');
    expect(epochIn('2019-05-17T15:31:56.746609046Z', 'ms')).toBe('1558107116746');
    expect(epochIn('2019-05-17T15:31:56.746609046Z', 's')).toBe('1558107116');
    expect(epochIn('2019-05-17T17:31:56.746609046+02:00', 'ns')).toBe('1558107116746609046');
  });

  it('gives the UTC date of the event', () => {
    expect(utcDate('2026-11-20T23:30:00-02:00')).toEqual({ year: 2026, month: 11, day: 21 });
  });

  it('prints Go RFC3339Nano moved by a duration, in the zone as sent', () => {
    expect(goRfc3339Nano('2019-05-17T15:31:56.746609046Z', 120_000_000_000n)).toBe(
      '2019-05-17T15:33:56.746609046Z',
    );
    expect(goRfc3339Nano('2019-05-17T23:59:59.5+02:00', 1_500_000_000n)).toBe('2019-05-18T00:00:01+02:00');
    expect(goRfc3339Nano('2019-05-17T10:00:00.120-05:30')).toBe('2019-05-17T10:00:00.12-05:30');
    expect(goRfc3339Nano('nope')).toBeUndefined();
    expect(goRfc3339Seconds('2019-05-17T15:31:56.746609046+02:00')).toBe('2019-05-17T15:31:56+02:00');
  });
});
