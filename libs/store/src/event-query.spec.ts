import { describe, expect, it } from 'vitest';
import { normalizeQuery, QueryError, sinceMs } from './event-query';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe('since', () => {
  it("takes every range of falcosidekick-ui's frontend", () => {
    const ui: [string, number][] = [
      ['5min', 5 * MIN],
      ['15min', 15 * MIN],
      ['30min', 30 * MIN],
      ['1h', 60 * MIN],
      ['2h', 120 * MIN],
      ['5h', 300 * MIN],
      ['12h', 720 * MIN],
      ['24h', DAY],
      ['48h', 2 * DAY],
      ['1w', 7 * DAY],
      ['2w', 14 * DAY],
      ['1M', 30 * DAY],
      ['3M', 90 * DAY],
      ['6M', 180 * DAY],
      ['1y', 365 * DAY],
      ['2y', 730 * DAY],
    ];
    for (const [text, ms] of ui) expect(sinceMs(text), text).toBe(ms);
  });

  it("keeps Falconer's Go-style durations and seconds; m is a minute, M a month", () => {
    expect(sinceMs('15m')).toBe(15 * MIN);
    expect(sinceMs('1h30m')).toBe(90 * MIN);
    expect(sinceMs('7d')).toBe(7 * DAY);
    expect(sinceMs('120')).toBe(2 * MIN);
    expect(sinceMs('3 ')).toBe(3000);
    expect(sinceMs('2weeks')).toBe(14 * DAY);
    expect(sinceMs('1m')).not.toBe(sinceMs('1M'));
  });

  it('refuses anything else with a QueryError on since', () => {
    for (const bad of ['banana', '5 parsecs', '1constructor', '__proto__', '-5m']) {
      expect(() => sinceMs(bad), bad).toThrow(QueryError);
    }
  });

  it('0 and empty mean no lower bound', () => {
    expect(normalizeQuery({ since: '0' }, 1_000_000).fromMs).toBeUndefined();
    expect(normalizeQuery({ since: '' }, 1_000_000).fromMs).toBeUndefined();
    expect(normalizeQuery({ since: '1M' }, 40 * DAY).fromMs).toBe(10 * DAY);
  });
});
