import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fixture } from '@falconer/testing';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, routerWithReceiver } from '../support/router-process';

// deploy/grafana/falconer.json: every metric its queries (panels and variables) name is on /metrics.

const DASHBOARD = resolve(REPO_ROOT, 'deploy/grafana/falconer.json');

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

/** Every PromQL expression of the dashboard: panel targets and query variables. */
function expressions(): { where: string; expr: string }[] {
  const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Panel[];
    templating: { list: { name: string; type: string; query?: unknown }[] };
  };
  const out: { where: string; expr: string }[] = [];
  for (const p of dash.panels)
    for (const t of p.targets ?? []) out.push({ where: `panel "${p.title}"`, expr: t.expr });
  for (const v of dash.templating.list) {
    if (v.type !== 'query') continue;
    const q = v.query as { query: string } | string;
    out.push({ where: `variable ${v.name}`, expr: typeof q === 'string' ? q : q.query });
  }
  return out;
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
]);

/** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // label lists
    .replace(/label_values\(([^,)]+),[^)]*\)/g, 'label_values($1)'); // Grafana: label_values(metric, label)
  const names: string[] = [];
  // numbers and durations (0.95, 5m) are matched whole so that their letters are not taken for names
  for (const m of bare.matchAll(/(?:\d[\d.]*[a-z]*|[A-Za-z_:][A-Za-z0-9_:]*)(?=\s*(\(?))/g)) {
    const [word] = m;
    if (/^\d/.test(word) || KEYWORDS.has(word) || m[1] === '(') continue; // a number, keyword or function
    names.push(word);
  }
  return names;
}

/** Names /metrics exposes: sample names, and the declared ones with their histogram/summary series. */
function exposed(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name = '', kind] = type;
      names.add(name);
      if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
      if (kind === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
    } else if (line !== '' && !line.startsWith('#')) names.add(line.split(/[{ ]/)[0] ?? '');
  }
  return names;
}

describe('Grafana dashboard deploy/grafana/falconer.json', () => {
  const h = routerWithReceiver();

  it('reads metric names out of PromQL', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, output) (rate(a_bucket{x=~"$i", y="by(z)"}[$__rate_interval]))) / b offset 5m',
      ),
    ).toEqual(['a_bucket', 'b']);
    expect(metricNames('label_values(c_total, instance)')).toEqual(['c_total']);
  });

  it('names only metrics the router exposes on /metrics', async () => {
    expect(await h.router.post(fixture('shell-in-container'))).toBe(200);
    const deadline = Date.now() + 10_000;
    while (h.receiver.requests.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(h.receiver.requests.length).toBe(1);

    const metrics = exposed(await (await fetch(`${h.router.url}/metrics`)).text());
    const exprs = expressions();
    expect(exprs.length).toBeGreaterThan(20);
    const used = new Set<string>();
    for (const { where, expr } of exprs) {
      const names = metricNames(expr);
      expect(names.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const n of names) {
        used.add(n);
        expect(metrics.has(n), `${where} names ${n}, which /metrics does not have`).toBe(true);
      }
    }
    // falcosidekick's names (existing dashboards keep working) and Falconer's own
    for (const n of [
      'falcosecurity_falcosidekick_inputs_total',
      'falcosecurity_falcosidekick_falco_events_total',
      'falcosecurity_falcosidekick_outputs_total',
      'falconer_delivery_queue_depth',
      'falconer_delivery_dead_lettered_total',
      'falconer_spool_events', // exported in memory mode too (0), so one dashboard serves both modes
      'falconer_silenced_events_total',
    ])
      expect(used).toContain(n);
  });
});
