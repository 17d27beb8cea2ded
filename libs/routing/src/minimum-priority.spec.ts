import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

describe('scenario: minimum priority', () => {
  const { filter, errors } = compileFilter({ minimumpriority: 'warning' });

  it('passes Warning and above, stops below', () => {
    expect(errors).toEqual([]);
    expect(filter.matches(testEvent({ priority: 'Warning' }))).toBe(true);
    expect(filter.matches(testEvent({ priority: 'Emergency' }))).toBe(true);
    expect(filter.matches(testEvent({ priority: 'Notice' }))).toBe(false);
    expect(filter.matches(testEvent({ priority: 'Debug' }))).toBe(false);
    expect(filter.describe).toBe('priority ≥ Warning');
  });

  it('reads `info` as Informational (falcosidekick would disable the filter)', () => {
    const info = compileFilter({ minimumpriority: 'info' }).filter;
    expect(info.matches(testEvent({ priority: 'Informational' }))).toBe(true);
    expect(info.matches(testEvent({ priority: 'Debug' }))).toBe(false);
    expect(info.describe).toBe('priority ≥ Informational');
  });

  it('treats an empty minimumpriority as no filter, case-insensitively', () => {
    expect(compileFilter({ minimumpriority: '' }).filter.describe).toBe('every event');
    expect(
      compileFilter({ MinimumPriority: 'CRITICAL' }).filter.matches(testEvent({ priority: 'Error' })),
    ).toBe(false);
  });

  it('refuses an unknown priority at start instead of filtering nothing', () => {
    const r = compileFilter({ minimumpriority: 'severe' }, 'slack.filter');
    expect(r.errors).toEqual([
      'slack.filter.minimumpriority: unknown priority "severe" (expected emergency|alert|critical|error|warning|notice|informational|info|debug)',
    ]);
    expect(r.filter.matches(testEvent({ priority: 'Emergency' }))).toBe(false);
  });
});
