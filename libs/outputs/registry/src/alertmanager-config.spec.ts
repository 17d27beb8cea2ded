import { createDispatcher, type DeliveryService } from '@falconer/delivery';
import { sampleEvent } from '@falconer/outputs-testing';
import {
  hasAlertmanager,
  serviceAvailable,
  startAlertmanager,
  type RealAlertmanager,
} from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasAm = await serviceAvailable('prometheus-alertmanager', hasAlertmanager);

/** A recent event (so that the alert is active), told apart from the others by its `evt.num` label. */
const numbered = (n: number) =>
  sampleEvent({
    uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    time: new Date().toISOString(),
    output_fields: Object.assign(Object.create(null), { 'evt.num': n, 'proc.name': 'touch' }),
  });

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!hasAm)(
  'Alertmanager configured like falcosidekick, delivered to a real Alertmanager',
  () => {
    let am: RealAlertmanager;
    beforeAll(async () => {
      am = (await startAlertmanager()) as RealAlertmanager;
    });
    afterAll(() => am?.stop());

    it('from a falcosidekick YAML section', async () => {
      const { config } = loadRouterConfig({
        env: {},
        yaml: `
alertmanager:
  hostport: ${am.url}
  endpoint: /api/v2/alerts
  expiresafter: 600
  extralabels: "cluster:prod"
  extraannotations:
    runbook_url: https://runbooks.example/falco
  customseveritymap: "error:ticket"
  minimumpriority: warning
`,
      });
      const { instances, errors } = buildOutputs(config.outputs);
      expect(errors).toEqual([]);
      expect(instances.map((i) => [i.name, i.type, i.filterText])).toEqual([
        ['alertmanager', 'alertmanager', 'priority ≥ Warning'],
      ]);
      const ev = numbered(1);
      expect(await instances[0]!.output.send([ev], new AbortController().signal)).toEqual({ ok: true });
      const listed = (await am.alerts()).find((a) => a.labels['evt_num'] === '1');
      expect(listed?.labels).toMatchObject({ cluster: 'prod', severity: 'ticket', priority: 'Error' });
      expect(listed?.annotations['runbook_url']).toBe('https://runbooks.example/falco');
      await instances[0]!.output.close?.();
    });

    it('from environment variables only', async () => {
      const { config } = loadRouterConfig({
        env: {
          ALERTMANAGER_HOSTPORT: am.url,
          ALERTMANAGER_EXTRALABELS: 'team:sec, env:test',
          ALERTMANAGER_CUSTOMSEVERITYMAP: 'error:page',
          ALERTMANAGER_CUSTOMHEADERS: 'X-Scope:falco',
        },
      });
      const { instances, errors } = buildOutputs(config.outputs);
      expect(errors).toEqual([]);
      expect(await instances[0]!.output.send([numbered(2)], new AbortController().signal)).toEqual({
        ok: true,
      });
      const listed = (await am.alerts()).find((a) => a.labels['evt_num'] === '2');
      expect(listed?.labels).toMatchObject({ team: 'sec', env: 'test', severity: 'page' });
      await instances[0]!.output.close?.();
    });

    it('Alertmanager stopped for 10 s during a burst: every alert arrives once it is back, none dead-lettered', async () => {
      const { config } = loadRouterConfig({ env: { ALERTMANAGER_HOSTPORT: am.url } });
      const { instances } = buildOutputs(config.outputs);
      const i = instances[0]!;
      const d: DeliveryService = await createDispatcher({
        targets: [
          {
            name: i.name,
            type: i.type,
            output: i.output,
            delivery: { retries: 1000, backoff: { base: '50ms', cap: '1s' }, timeout: '2s' },
          },
        ],
      });
      await d.start();
      try {
        const nums = Array.from({ length: 30 }, (_, k) => 100 + k);
        const listedNums = async () =>
          new Set((await am.alerts()).map((a) => a.labels['evt_num']).filter((n) => n !== undefined));
        for (const n of nums.slice(0, 10)) await d.enqueue(numbered(n), [i.name]);
        await until(async () => {
          const got = await listedNums();
          return nums.slice(0, 10).every((n) => got.has(String(n)));
        }, 'the first ten alerts');
        await am.pause();
        for (const n of nums.slice(10)) await d.enqueue(numbered(n), [i.name]);
        await new Promise((r) => setTimeout(r, 10_000));
        await am.resume();
        // Alertmanager keeps alerts in memory only: after its restart it lists those that came since
        await until(async () => {
          const got = await listedNums();
          return nums.slice(10).every((n) => got.has(String(n)));
        }, 'the 20 alerts queued while it was down');
        const { total } = await d.listDeadLetters({ offset: 0, limit: 10 });
        expect(total).toBe(0);
        const counters = (await d.outputs())[0]?.counters;
        expect(counters?.sent).toBe(30);
        expect(counters?.retried).toBeGreaterThan(0);
      } finally {
        await d.stop(1000);
        await i.output.close?.();
      }
    }, 90_000);
  },
);
