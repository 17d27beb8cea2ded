import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

describe('scenario: 50 compiled instance filters', () => {
  it('match one event against all of them in microseconds', () => {
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
    let hits = 0;
    const rounds = 2000;
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const f of filters) if (f.matches(ev)) hits++;
    const perEventUs = Number(process.hrtime.bigint() - t0) / 1000 / rounds;
    expect(hits).toBe(25 * rounds);
    // Generous bound for a shared 2-core machine; typical is a few µs.
    expect(perEventUs).toBeLessThan(200);
  });
});
