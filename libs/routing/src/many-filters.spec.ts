import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

// How fast this is: bench/routing-filters.mjs (tests assert behaviour, not speed).
describe('scenario: 50 compiled instance filters', () => {
  it('match one event against all of them: the 25 that want at least Notice match a Warning', () => {
    const filters = Array.from(
      { length: 50 },
      (_, i) =>
        compileFilter({
          minimumpriority: i % 2 === 0 ? 'notice' : 'critical',
          tags: { any: ['container', `t${i}`] },
          rules: { exclude: [`Rule ${i}*`] },
          fields: { 'k8s.ns.name': { notin: ['kube-system'] } },
        }).filter,
    );
    const ev = testEvent({ output_fields: { 'k8s.ns.name': 'shop' } });
    const matched = filters.flatMap((f, i) => (f.matches(ev) ? [i] : []));
    expect(matched).toEqual(Array.from({ length: 25 }, (_, k) => 2 * k));
  });
});
