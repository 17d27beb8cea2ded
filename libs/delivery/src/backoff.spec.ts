import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDelay } from './backoff';

describe('backoff with full jitter', () => {
  it('grows from 500 ms by doubling up to the 60 s cap; the random factor spreads it over [0, ceiling)', () => {
    const top = (): number => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 12].map((n) => backoffDelay(n, 500, 60_000, top))).toEqual([
      499, 999, 1999, 3999, 7999, 15999, 31999, 59999, 59999,
    ]);
    expect(backoffDelay(3, 500, 60_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 500, 60_000, () => 0.5)).toBe(1000);
  });

  it('never retries before Retry-After', () => {
    expect(retryDelay(1, 500, 60_000, 2_000, () => 0.9)).toBe(2_000);
    expect(retryDelay(8, 500, 60_000, 2_000, () => 0.9)).toBe(54_000);
    expect(retryDelay(1, 500, 60_000, undefined, () => 0.5)).toBe(250);
  });
});
