import type { SendResult } from '@falconer/outputs-core';

/** What the outcome needs of an entry: how many attempts it has had, this one included. */
export interface Attempted {
  attempts: number;
}

/** Where each entry of an attempted batch goes next. Pure data: the worker acts on it. */
export interface Outcome<T extends Attempted> {
  delivered: T[];
  /** Failed and has attempts left: scheduled for another attempt. */
  retry: T[];
  /** Refused for good, or out of attempts: parked in the dead-letter queue. */
  dead: T[];
  /** Events that failed in this attempt (retry + dead): the per-reason failure count. */
  failed: number;
  /**
   * What the breaker hears. Only failures that say the destination is unwell count against it; a refused
   * event (4xx) or a partly delivered batch shows it is up.
   */
  breaker: 'success' | 'failure';
}

/**
 * Decides, from one attempt's result, which entries of the batch were delivered, go back for another
 * attempt, or are dead-lettered. `maxAttempts` is the configured number of attempts per event.
 */
export function decideOutcome<T extends Attempted>(
  batch: readonly T[],
  result: SendResult,
  maxAttempts: number,
): Outcome<T> {
  if (result.ok) return { delivered: [...batch], retry: [], dead: [], failed: 0, breaker: 'success' };
  const perEvent = result.failedIndexes !== undefined || result.rejectedIndexes !== undefined;
  const failing: T[] = [];
  const dead: T[] = [];
  const delivered: T[] = [];
  if (perEvent) {
    const failed = new Set(result.failedIndexes ?? []);
    const rejected = new Set(result.rejectedIndexes ?? []);
    batch.forEach((e, i) => (rejected.has(i) ? dead : failed.has(i) ? failing : delivered).push(e));
  } else if (result.retryable) failing.push(...batch);
  else dead.push(...batch);

  const failed = failing.length + dead.length;
  const retry: T[] = [];
  for (const e of failing) (e.attempts >= maxAttempts ? dead : retry).push(e);
  const destinationUp = delivered.length > 0 || (!result.retryable && !perEvent);
  return { delivered, retry, dead, failed, breaker: destinationUp ? 'success' : 'failure' };
}
