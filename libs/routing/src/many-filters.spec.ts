import { describe, expect, it } from 'vitest';
import { manyFilters } from './many-filters';
import { testEvent } from './test-event';

// How fast this is: bench/routing-filters.mjs (tests assert behaviour, not speed).
describe('scenario: 50 compiled instance filters', () => {
  it('match one event against all of them: the 25 that want at least Notice match a Warning', () => {
    const ev = testEvent({ output_fields: { 'k8s.ns.name': 'shop' } });
    const matched = manyFilters(50).flatMap((f, i) => (f.matches(ev) ? [i] : []));
    expect(matched).toEqual(Array.from({ length: 25 }, (_, k) => 2 * k));
  });
});
