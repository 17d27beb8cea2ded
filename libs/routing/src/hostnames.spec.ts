import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

describe('scenario: hostnames', () => {
  it('matches host globs; an event without hostname matches no pattern but *', () => {
    const f = compileFilter({ hostnames: ['worker-*', 'db-1'] }).filter;
    expect(f.matches(testEvent({ hostname: 'worker-17' }))).toBe(true);
    expect(f.matches(testEvent({ hostname: 'db-1' }))).toBe(true);
    expect(f.matches(testEvent({ hostname: 'db-10' }))).toBe(false);
    expect(f.matches(testEvent({ hostname: '' }))).toBe(false);
    expect(compileFilter({ hostnames: '*' }).filter.matches(testEvent({ hostname: '' }))).toBe(true);
  });
});
