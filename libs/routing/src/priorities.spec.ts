import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

describe('scenario: a set of priorities', () => {
  it('passes only the listed priorities, from YAML or an env string', () => {
    for (const spec of [{ priorities: ['error', 'critical'] }, { priorities: 'error,critical' }]) {
      const { filter, errors } = compileFilter(spec);
      expect(errors).toEqual([]);
      expect(filter.matches(testEvent({ priority: 'Error' }))).toBe(true);
      expect(filter.matches(testEvent({ priority: 'Critical' }))).toBe(true);
      expect(filter.matches(testEvent({ priority: 'Emergency' }))).toBe(false);
      expect(filter.describe).toBe('priority in [Error, Critical]');
    }
  });

  it('names each unknown entry', () => {
    expect(compileFilter({ priorities: ['error', 'loud'] }).errors).toEqual([
      'filter.priorities[1]: unknown priority "loud" (expected emergency|alert|critical|error|warning|notice|informational|info|debug)',
    ]);
  });
});
