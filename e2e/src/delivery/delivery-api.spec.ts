import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLettersResponse, OutputInfo } from '@falconer/contracts';
import { Receiver, testEventBody } from '@falconer/testing';
import { launchRouter, type RouterProcess } from '../support/router-process';
import { uuidsIn } from './events';

// The built router in memory mode: retries through ingest, dead letters through the API, metrics.

describe('delivery through the router API', () => {
  let receiver: Receiver;
  let router: RouterProcess;
  let refuse = true;
  const tries = new Map<string, number>();

  beforeAll(async () => {
    receiver = await Receiver.start((req) => {
      const [uuid] = uuidsIn(req.text) as [string];
      // counted per destination: the strict-rule event goes to both outputs
      const key = req.url === '/flaky' ? uuid : `strict:${uuid}`;
      const n = (tries.get(key) ?? 0) + 1;
      tries.set(key, n);
      if (req.url === '/flaky') return n <= 3 ? { status: 503 } : { status: 200 };
      return refuse ? { status: 400, body: '{"error":"mapping rejected field proc.name"}' } : { status: 200 };
    });
    const config = [
      'outputs:',
      '  - name: flaky',
      '    type: webhook',
      `    address: ${receiver.url}/flaky`,
      '  - name: strict',
      '    type: webhook',
      `    address: ${receiver.url}/strict`,
      '    filter: { rules: { include: ["Strict*"] } }',
      '',
    ].join('\n');
    router = await launchRouter({ ui: false, configYaml: config });
  });
  afterAll(async () => {
    await router.kill('SIGTERM');
    await receiver.close();
  });

  it('503 three times then 200: each event is delivered exactly once', async () => {
    const events = Array.from({ length: 10 }, (_, i) => testEventBody(i));
    for (const e of events) expect(await router.post(e.body)).toBe(200);
    const deadline = Date.now() + 20_000;
    const delivered = (): number => events.filter((e) => tries.get(e.uuid) === 4).length;
    while (delivered() < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    for (const e of events) expect(tries.get(e.uuid)).toBe(4);
    const metrics = await (await fetch(`${router.url}/metrics`)).text();
    expect(metrics).toContain(
      'falcosecurity_falcosidekick_outputs_total{destination="webhook",status="ok"} 10',
    );
    expect(metrics).toContain(
      'falcosecurity_falcosidekick_outputs_total{destination="webhook",status="error"} 30',
    );
    expect(metrics).toContain(
      'falconer_delivery_failed_total{output="flaky",type="webhook",reason="server_error"} 30',
    );
  }, 30_000);

  it('a 400 is dead-lettered with its reason, listed by the API, and replayed once the receiver is fixed', async () => {
    const e = JSON.parse(testEventBody(1).body) as Record<string, unknown>;
    e['rule'] = 'Strict rule';
    e['output_fields'] = { 'proc.name': 'bash', 'big.num': '__BIG__' };
    // beyond 2^53: JSON.stringify could not write it, so it goes in as text
    const body = JSON.stringify(e).replace('"__BIG__"', '1234567890123456789');
    expect(await router.post(body)).toBe(200);
    let list = await router.api<DeadLettersResponse>('/api/v1/deadletters');
    for (let i = 0; i < 50 && list.body.statistics.all === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      list = await router.api<DeadLettersResponse>('/api/v1/deadletters');
    }
    expect(list.status).toBe(200);
    expect(list.body.statistics.all).toBe(1);
    const dl = list.body.results[0];
    expect(dl).toMatchObject({ output: 'strict', reason: 'client_error', attempts: 1 });
    expect(dl?.detail).toContain('mapping rejected field proc.name');
    expect(dl?.event.uuid).toBe(e['uuid']);
    // the listing keeps the 19-digit number exact
    const raw = await (await fetch(`${router.url}/api/v1/deadletters?output=strict`)).text();
    expect(raw).toContain('"big.num":1234567890123456789');
    expect((await router.api('/api/v1/deadletters?limit=banana')).status).toBe(400);
    expect(
      (await router.api('/api/v1/deadletters/replay', { method: 'POST', body: { output: 'nope' } })).status,
    ).toBe(404);

    refuse = false;
    const replay = await router.api<{ replayed: number }>('/api/v1/deadletters/replay', {
      method: 'POST',
      body: { ids: [dl?.id] },
    });
    expect(replay).toEqual({ status: 200, body: { replayed: 1 } });
    const deadline = Date.now() + 5_000;
    const key = `strict:${e['uuid'] as string}`;
    while (tries.get(key) !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(tries.get(key)).toBe(2);
    const last = receiver.requests.filter((q) => q.url === '/strict').at(-1);
    expect(last?.text).toContain('"big.num":1234567890123456789');
    expect((await router.api<DeadLettersResponse>('/api/v1/deadletters')).body.statistics.all).toBe(0);
  }, 20_000);

  it('GET /api/v1/outputs/status shows delivery counters and circuit state', async () => {
    const res = await router.api<{ outputs: OutputInfo[] }>('/api/v1/outputs/status');
    expect(res.status).toBe(200);
    const flaky = res.body.outputs.find((o) => o.name === 'flaky');
    expect(flaky).toMatchObject({ type: 'webhook', circuit: 'closed' });
    // the ten events of the first case, plus the strict-rule event once its 503s are over
    expect(flaky?.counters.sent).toBeGreaterThanOrEqual(10);
    expect(flaky?.counters.failed.server_error).toBeGreaterThanOrEqual(30);
  });
});
