import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { RemediationRecord } from '@falconer/contracts';
import { Receiver } from '@falconer/testing';
import { RemediatorMetrics } from '../metrics/remediator.metrics';
import { verifySignature } from '@falconer/util';
import { RouterReporter } from './router.reporter';

const record = (uuid: string): RemediationRecord => ({
  uuid,
  rule: 'r',
  action: 'kubernetes:terminate',
  outcome: 'acted',
  target: { namespace: 'shop', pod: 'web-1' },
  reason: 'done',
  at: '2026-11-20T10:15:03.120Z',
});

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function reportsTo(
  replies: number[],
): Promise<{ reporter: RouterReporter; metrics: RemediatorMetrics; receiver: Receiver }> {
  receiver = await Receiver.start((_req, i) => ({ status: replies[i] ?? 200, body: '{}' }));
  const metrics = new RemediatorMetrics();
  const reporter = new RouterReporter(
    { routerUrl: receiver.url, secret: 'k3y-for-tests', backoffMs: 10 },
    metrics,
    pino({ level: 'silent' }),
  );
  return { reporter, metrics, receiver };
}

async function counter(metrics: RemediatorMetrics, status: string): Promise<number> {
  const m = await metrics.reports.get();
  return m.values.find((v) => v.labels['status'] === status)?.value ?? 0;
}

describe('RouterReporter', () => {
  it('posts each record in order, signed, to /api/v1/remediations', async () => {
    const { reporter, metrics, receiver: r } = await reportsTo([]);
    reporter.report(record('a'));
    reporter.report(record('b'));
    await reporter.flush();
    expect(r.requests.map((q) => [q.method, q.url, JSON.parse(q.text).uuid])).toEqual([
      ['POST', '/api/v1/remediations', 'a'],
      ['POST', '/api/v1/remediations', 'b'],
    ]);
    for (const q of r.requests) {
      expect(q.headers['content-type']).toBe('application/json');
      expect(verifySignature('k3y-for-tests', q.headers['x-falconer-signature'] as string, q.body)).toEqual({
        ok: true,
      });
    }
    expect(await counter(metrics, 'ok')).toBe(2);
  });

  it('retries 5xx and 429, not other 4xx', async () => {
    const { reporter, metrics, receiver: r } = await reportsTo([503, 429, 200, 404]);
    reporter.report(record('a'));
    reporter.report(record('b'));
    await reporter.flush();
    expect(r.requests.map((q) => JSON.parse(q.text).uuid)).toEqual(['a', 'a', 'a', 'b']);
    expect(await counter(metrics, 'ok')).toBe(1);
    expect(await counter(metrics, 'error')).toBe(1);
  });

  it('gives up after its attempts when the router is down, without blocking', async () => {
    const { reporter, metrics, receiver: r } = await reportsTo([]);
    await r.close();
    receiver = undefined;
    reporter.report(record('a'));
    await reporter.flush();
    expect(await counter(metrics, 'error')).toBe(1);
  });
});
