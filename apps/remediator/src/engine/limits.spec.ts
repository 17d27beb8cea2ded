import { describe, expect, it } from 'vitest';
import { required } from './remediation.engine';
import { Cooldown, SlidingWindowLimiter } from './limits';

describe('Cooldown', () => {
  it('holds a key for its duration, independently per key', () => {
    let t = 0;
    const c = new Cooldown(1000, () => t);
    expect(c.tryAcquire('a')).toBe(true);
    expect(c.tryAcquire('a')).toBe(false);
    expect(c.tryAcquire('b')).toBe(true);
    t = 999;
    expect(c.isCooling('a')).toBe(true);
    t = 1000;
    expect(c.tryAcquire('a')).toBe(true);
  });
});

describe('SlidingWindowLimiter', () => {
  it('allows max per sliding window', () => {
    let t = 0;
    const l = new SlidingWindowLimiter(3, 60_000, () => t);
    expect([l.tryAcquire(), l.tryAcquire(), l.tryAcquire(), l.tryAcquire()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    t = 59_999;
    expect(l.tryAcquire()).toBe(false);
    t = 30_000;
    expect(l.tryAcquire()).toBe(false);
    // a refused attempt takes nothing; the first three leave the window together
    t = 60_000;
    expect([l.tryAcquire(), l.tryAcquire(), l.tryAcquire()]).toEqual([true, true, true]);
    expect(l.tryAcquire()).toBe(false);
  });
});

describe('minHealthyReplicas', () => {
  it('a percentage is of the desired replicas, rounded up (Talon compared it with a raw count)', () => {
    expect(required({ kind: 'percent', value: 50 }, 3)).toBe(2);
    expect(required({ kind: 'percent', value: 50 }, 4)).toBe(2);
    expect(required({ kind: 'percent', value: 50 }, 100)).toBe(50);
    expect(required({ kind: 'percent', value: 0 }, 10)).toBe(0);
    expect(required({ kind: 'count', value: 2 }, 100)).toBe(2);
  });
});
