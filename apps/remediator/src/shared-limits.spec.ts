import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { canConnect, REDIS_URL, serviceAvailable } from '@falconer/testing';
import type { WebhookResponse } from './http/webhook.controller';
import { FakeKubeApi } from './testing/fake-kube-api';
import { shellEvent, startRemediator, type Harness } from './testing/harness';

// Two remediator replicas on one real Redis act on one (fake) Kubernetes API: the per-pod cooldown and the
// global rate limit are one budget for both (ADR 0009), not one each.

const hasRedis = await serviceAvailable('redis', () => canConnect(6379));

const TERMINATE_RULES = `
- name: kill shells in prod
  match:
    rules: ["Terminal shell in container"]
  actions:
    - action: kubernetes:terminate
      parameters: { gracePeriodSeconds: 0, minHealthyReplicas: "50%" }
`;

async function decide(r: Harness, ns: string, pod: string): Promise<WebhookResponse['decisions']> {
  const res = await r.post(JSON.stringify(shellEvent(ns, pod)) + '\n');
  return ((await res.json()) as WebhookResponse).decisions;
}

describe.skipIf(!hasRedis)('two remediators on one Redis share the cooldown and the rate limit', () => {
  const prefix = `t-rem-${randomUUID()}:`;
  const replicas: Harness[] = [];
  let kube: FakeKubeApi | undefined;

  afterEach(async () => {
    for (const r of replicas.splice(0)) {
      await r.app.close();
      await r.router.close();
    }
    await kube?.close();
    const admin = createClient({ url: REDIS_URL });
    await admin.connect();
    for await (const keys of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
      if (keys.length > 0) await admin.unlink(keys);
    await admin.close();
  });

  const two = async (env: Record<string, string> = {}): Promise<[Harness, Harness]> => {
    kube = await FakeKubeApi.start();
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await startRemediator({
          rules: TERMINATE_RULES,
          kube,
          env: { REMEDIATOR_REDIS_URL: REDIS_URL, REMEDIATOR_REDIS_PREFIX: prefix, ...env },
        }),
      );
    }
    return [replicas[0] as Harness, replicas[1] as Harness];
  };

  it('a cooldown taken on A holds on B', async () => {
    const [a, b] = await two();
    kube?.addDeploymentPod('shop', 'web', 'web-1', 3);
    if (kube) kube.keepDeletedPods = true; // the pod stays Terminating: only the cooldown stops B
    const onA = await decide(a, 'shop', 'web-1');
    expect(onA.map((d) => d.outcome)).toEqual(['acted']);
    const onB = await decide(b, 'shop', 'web-1');
    expect(onB.map((d) => d.outcome)).toEqual(['skipped']);
    expect(onB[0]?.reason).toMatch(/^cooldown: kubernetes:terminate already decided for this pod/);
    expect(kube?.callsTo('DELETE', '/api/v1/namespaces/shop/pods/web-1')).toHaveLength(1);
  });

  it('the rate limit counts the actions of both', async () => {
    const [a, b] = await two({ REMEDIATOR_RATELIMIT: '3/min' });
    for (let i = 0; i < 8; i++) kube?.addDeploymentPod('shop', `app${i}`, `app${i}-pod`, 3);
    // alternately, and then all at once on both
    const first = [...(await decide(a, 'shop', 'app0-pod')), ...(await decide(b, 'shop', 'app1-pod'))];
    expect(first.map((d) => d.outcome)).toEqual(['acted', 'acted']);
    const rest = (
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => decide(i % 2 === 0 ? a : b, 'shop', `app${i + 2}-pod`)),
      )
    ).flat();
    expect(rest.filter((d) => d.outcome === 'acted')).toHaveLength(1);
    const limited = rest.filter((d) => d.outcome === 'skipped');
    expect(limited).toHaveLength(5);
    for (const d of limited) expect(d.reason).toMatch(/^rate limit 3\/min reached/);
    expect(kube?.calls.filter((c) => c.method === 'DELETE')).toHaveLength(3);
  });
});
