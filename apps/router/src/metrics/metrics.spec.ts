import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '@falconer/testing';
import { startRouter, type Harness } from '../testing/router-harness';
import { FOLDED, truncateLabel } from './metrics.service';

let h: Harness;
beforeAll(async () => {
  h = await startRouter({ METRICS_MAXSERIES: '50', METRICS_LABELBYTES: '64' });
});
afterAll(async () => {
  await h.close();
});

/** A Falco event whose rule and hostname are unique and long (attacker-chosen label values). */
function uniqueEvent(i: number, bytes: number): string {
  const e = JSON.parse(fixture('shell-in-container')) as Record<string, unknown>;
  e['rule'] = `rule-${i}-` + 'r'.repeat(bytes);
  e['hostname'] = `host-${i}-` + 'h'.repeat(bytes);
  return JSON.stringify(e);
}

describe('event metrics (issue 20, finding 7)', () => {
  it('cut label values and fold series past metrics.maxseries, counting what was folded', async () => {
    for (let i = 0; i < 200; i++) {
      const res = await fetch(h.url + '/', { method: 'POST', body: uniqueEvent(i, 20_000) });
      expect(res.status).toBe(200);
    }
    const text = await (await fetch(h.url + '/metrics')).text();
    const series = text
      .split('\n')
      .filter((l) => l.startsWith('falcosecurity_falcosidekick_falco_events_total{'));
    expect(series.length).toBeLessThanOrEqual(50 + 8);
    expect(series.some((l) => l.includes(`rule="${FOLDED}"`))).toBe(true);
    expect(text).toMatch(/^falconer_metrics_events_folded_total 150$/m);
    // every label value is at most 64 bytes: no line carries the 20 KB names
    expect(Math.max(...series.map((l) => l.length))).toBeLessThan(1_000);
    expect(text.length).toBeLessThan(200_000);
  });

  it('truncates on a character boundary', () => {
    expect(truncateLabel('short', 64)).toBe('short');
    expect(truncateLabel('é'.repeat(40), 5)).toBe('éé');
    expect(truncateLabel('a'.repeat(100), 10)).toBe('a'.repeat(10));
  });
});
