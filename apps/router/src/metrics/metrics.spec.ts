import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FalcoEvent } from '@falconer/contracts';
import { loadConfig } from '@falconer/config';
import { parseEvent } from '@falconer/falco';
import { fixture } from '@falconer/testing';
import { startRouter, type Harness } from '../testing/router-harness';
import { FOLDED, MetricsService, truncateLabel } from './metrics.service';

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

describe('falco_events_total label cardinality (issue 13)', () => {
  /** Its series, label set → value. */
  async function series(registry: Registry): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const line of (await registry.metrics()).split('\n')) {
      const m = /^falcosecurity_falcosidekick_falco_events_total(\{.*\}) (\d+)$/.exec(line);
      if (m !== null) out.set(m[1] as string, Number(m[2]));
    }
    return out;
  }

  it('stays at metrics.maxseries label sets, plus one folded set per priority, whatever arrives', async () => {
    const { config } = loadConfig({ env: {} });
    const max = config.metrics.maxseries;
    const registry = new Registry();
    const metrics = new MetricsService(registry, config);
    const base = parseEvent(fixture('shell-in-container')).event;
    const priorities: FalcoEvent['priority'][] = ['Critical', 'Warning', 'Notice'];
    // a busy cluster's churn: every event from a pod and host never seen before
    const feed = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        metrics.accepted({
          ...base,
          priority: priorities[i % 3] as FalcoEvent['priority'],
          hostname: `node-${i}`,
          output_fields: { ...base.output_fields, 'k8s.pod.name': `checkout-${i}` },
        });
      }
    };
    feed(0, 20_000);
    const first = await series(registry);
    expect(first.size).toBe(max + priorities.length);
    expect([...first.values()].reduce((a, b) => a + b, 0)).toBe(20_000);
    expect([...first.keys()].filter((k) => k.includes(`rule="${FOLDED}"`))).toHaveLength(3);
    expect(await registry.metrics()).toMatch(
      new RegExp(`^falconer_metrics_events_folded_total ${20_000 - max}$`, 'm'),
    );
    // as many new label sets again: not one more series, every event still counted
    feed(20_000, 40_000);
    const second = await series(registry);
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect([...second.values()].reduce((a, b) => a + b, 0)).toBe(40_000);
  }, 60_000);
});
