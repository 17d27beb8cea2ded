import { describe, expect, it } from 'vitest';
import type { SendResult } from '@falconer/outputs-core';
import { decideOutcome } from './outcome';

const entries = (...attempts: number[]): { id: string; attempts: number }[] =>
  attempts.map((a, i) => ({ id: `e${i}`, attempts: a }));
const ids = (xs: readonly { id: string }[]): string[] => xs.map((x) => x.id);

const serverError: SendResult = { ok: false, retryable: true, reason: 'server_error', detail: '503' };
const refused: SendResult = { ok: false, retryable: false, reason: 'client_error', detail: '400' };

describe('decideOutcome', () => {
  it('delivers the whole batch on success, and the breaker hears a success', () => {
    const o = decideOutcome(entries(1, 1), { ok: true }, 3);
    expect(ids(o.delivered)).toEqual(['e0', 'e1']);
    expect(o).toMatchObject({ retry: [], dead: [], failed: 0, breaker: 'success' });
  });

  it('retries a retryable failure while attempts are left and dead-letters the exhausted ones', () => {
    const o = decideOutcome(entries(1, 3, 2, 4), serverError, 3);
    expect(ids(o.retry)).toEqual(['e0', 'e2']);
    expect(ids(o.dead)).toEqual(['e1', 'e3']);
    expect(o.delivered).toEqual([]);
    expect(o.failed).toBe(4);
    expect(o.breaker).toBe('failure');
  });

  it('dead-letters a refused batch at once, and a refusal does not count against the breaker', () => {
    const o = decideOutcome(entries(1, 1), refused, 3);
    expect(ids(o.dead)).toEqual(['e0', 'e1']);
    expect(o).toMatchObject({ retry: [], delivered: [], failed: 2, breaker: 'success' });
  });

  it('splits a partly delivered batch by index: rejected are parked, failed retried, the rest delivered', () => {
    const o = decideOutcome(
      entries(1, 1, 1, 3),
      { ...serverError, failedIndexes: [1, 3], rejectedIndexes: [2] },
      3,
    );
    expect(ids(o.delivered)).toEqual(['e0']);
    expect(ids(o.retry)).toEqual(['e1']);
    // the rejected one first, then the one out of attempts
    expect(ids(o.dead)).toEqual(['e2', 'e3']);
    expect(o.failed).toBe(3);
    expect(o.breaker).toBe('success');
  });

  it('a batch whose every event failed by index counts against the breaker', () => {
    const o = decideOutcome(entries(1, 1), { ...serverError, failedIndexes: [0, 1] }, 3);
    expect(ids(o.retry)).toEqual(['e0', 'e1']);
    expect(o.breaker).toBe('failure');
  });

  it('a per-event refusal of a non-retryable result still goes by index', () => {
    const o = decideOutcome(entries(1, 1), { ...refused, rejectedIndexes: [0] }, 3);
    expect(ids(o.dead)).toEqual(['e0']);
    expect(ids(o.delivered)).toEqual(['e1']);
    expect(o.breaker).toBe('success');
  });

  it('with one attempt configured, a retryable failure is dead-lettered at once', () => {
    const o = decideOutcome(entries(1), serverError, 1);
    expect(ids(o.dead)).toEqual(['e0']);
    expect(o.retry).toEqual([]);
  });
});
