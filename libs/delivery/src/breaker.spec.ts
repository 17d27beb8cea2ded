import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker';
import { DEFAULT_DELIVERY } from './settings';

// A clock the test moves: these are the breaker's rules, checked against the documented defaults.
function breaker(): { b: CircuitBreaker; at: (ms: number) => void } {
  let now = 1_000_000;
  const start = now;
  return { b: new CircuitBreaker(DEFAULT_DELIVERY.breaker, () => now), at: (ms) => (now = start + ms) };
}

describe('circuit breaker defaults (10 s without success, ≥ 5 failures, probe every 2 s)', () => {
  it('does not open on many failures within 10 s', () => {
    const { b, at } = breaker();
    for (let i = 0; i < 100; i++) {
      at(i * 99);
      b.failure();
    }
    expect(b.circuit).toBe('closed');
    at(10_000);
    b.failure();
    expect(b.circuit).toBe('open');
  });

  it('does not open after 10 s with fewer than 5 failures', () => {
    const { b, at } = breaker();
    for (const t of [0, 4_000, 8_000, 12_000]) {
      at(t);
      b.failure();
    }
    expect(b.circuit).toBe('closed');
    at(12_001);
    b.failure();
    expect(b.circuit).toBe('open');
  });

  it('never opens on intermittent failures between successes, however long they last', () => {
    const { b, at } = breaker();
    for (let t = 0; t < 3_600_000; t += 1_000) {
      at(t);
      if (t % 9_000 === 0) b.success();
      else b.failure();
      expect(b.circuit).toBe('closed');
    }
  });

  it('while open: one probe every 2 s; a failed probe waits 2 s more; the first success closes it', () => {
    const { b, at } = breaker();
    for (let i = 0; i <= 4; i++) {
      at(i * 2_500);
      b.failure();
    }
    expect(b.circuit).toBe('open');
    at(10_000 + 1_999);
    expect(b.gate()).toEqual({ kind: 'wait', ms: 1 });
    at(12_000);
    expect(b.gate()).toEqual({ kind: 'probe' });
    at(14_500);
    expect(b.gate()).toEqual({ kind: 'probe' });
    b.probing();
    expect(b.circuit).toBe('half_open');
    expect(b.gate().kind).toBe('wait');
    b.failure();
    expect(b.circuit).toBe('open');
    expect(b.gate()).toEqual({ kind: 'wait', ms: 2_000 });
    at(16_500);
    expect(b.gate()).toEqual({ kind: 'probe' });
    b.probing();
    expect(b.success()).toBe(true);
    expect(b.circuit).toBe('closed');
    expect(b.gate()).toEqual({ kind: 'send' });
    // closed again: a new streak needs 10 s and 5 failures again
    for (let i = 0; i < 5; i++) {
      at(17_000 + i * 1_000);
      b.failure();
    }
    expect(b.circuit).toBe('closed');
  });
});
