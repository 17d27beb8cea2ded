import { afterEach, describe, expect, it } from 'vitest';
import { signBody } from '@falconer/util';
import type { WebhookResponse } from './http/webhook.controller';
import { FakeKubeApi } from './testing/fake-kube-api';
import { shellEvent, startRemediator, type Harness } from './testing/harness';

const POD_PATH = (ns: string, pod: string): string => `/api/v1/namespaces/${ns}/pods/${pod}`;
const TERMINATE = `
- name: kill shells
  match:
    rules: ["Terminal shell in container"]
  actions:
    - action: kubernetes:terminate
      parameters: { gracePeriodSeconds: 0, minHealthyReplicas: "50%" }
`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function decisions(res: Response): Promise<WebhookResponse['decisions']> {
  return ((await res.json()) as WebhookResponse).decisions;
}

describe('remediator (issue 20)', () => {
  it('acts only on the object the fields a rule is scoped by name (finding 4)', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('dev', 'api', 'api-1', 3);
    kube.addDeploymentPod('prod', 'web', 'web-1', 3);
    h = await startRemediator({
      rules: `
- name: audit exec in dev
  match:
    fields: { ka.target.namespace: [dev] }
  actions:
    - action: kubernetes:terminate
      parameters: { gracePeriodSeconds: 0, minHealthyReplicas: "50%" }
`,
      kube,
    });
    // an event whose audit target is in dev, and whose k8s.* fields name a pod in prod
    const event = shellEvent('prod', 'web-1', {
      outputFields: { 'ka.target.namespace': 'dev', 'ka.target.name': 'api-1', 'ka.target.resource': 'pods' },
    });
    const [d] = await decisions(await h.post(JSON.stringify(event)));
    expect(d).toMatchObject({ outcome: 'acted', target: { namespace: 'dev', pod: 'api-1' } });
    expect(kube.pods.has('prod/web-1')).toBe(true);
    expect(kube.calls.some((c) => c.path.includes('/namespaces/prod/'))).toBe(false);
  });

  it('refuses an unscoped rule when k8s.* and ka.target.* name different namespaces', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('prod', 'web', 'web-1', 3);
    h = await startRemediator({ rules: TERMINATE, kube });
    const event = shellEvent('prod', 'web-1', { outputFields: { 'ka.target.namespace': 'dev' } });
    const [d] = await decisions(await h.post(JSON.stringify(event)));
    expect(d).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('differ') as string });
    expect(kube.calls).toHaveLength(0);
  });

  it('checks the rate limit before any Kubernetes call (finding 16)', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'a', 'a-1', 3);
    kube.addDeploymentPod('shop', 'b', 'b-1', 3);
    h = await startRemediator({ rules: TERMINATE, env: { REMEDIATOR_RATELIMIT: '1/h' }, kube });
    await h.post(JSON.stringify(shellEvent('shop', 'a-1')));
    const before = kube.calls.length;
    const [d] = await decisions(await h.post(JSON.stringify(shellEvent('shop', 'b-1'))));
    expect(d).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('rate limit') as string });
    expect(kube.calls.length).toBe(before);
    expect(kube.callsTo('GET', POD_PATH('shop', 'b-1'))).toHaveLength(0);
  });

  it('refuses a signed request sent twice (finding 14) and a browser on another site', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'a', 'a-1', 3);
    h = await startRemediator({ rules: TERMINATE, env: { REMEDIATOR_SECRET: 'k' }, kube });
    const body = JSON.stringify(shellEvent('shop', 'a-1'));
    const sig = signBody('k', body);
    const send = (): Promise<Response> =>
      fetch(`${h?.url}/`, { method: 'POST', headers: { 'x-falconer-signature': sig }, body });
    expect((await send()).status).toBe(200);
    const again = await send();
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ message: expect.stringContaining('replay') as string });
    const cross = await h.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/',
        headers: {
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
          'content-type': 'text/plain',
        },
        payload: body,
      });
    expect(cross.statusCode).toBe(403);
  });

  it('answers its read endpoints with REMEDIATOR_TOKEN, or loopback clients when none is set (finding 13)', async () => {
    h = await startRemediator({ rules: TERMINATE, env: { REMEDIATOR_TOKEN: 'read-token' } });
    expect((await fetch(`${h.url}/api/v1/actions`)).status).toBe(401);
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    const ok = await fetch(`${h.url}/api/v1/actions`, { headers: { authorization: 'Bearer read-token' } });
    expect(ok.status).toBe(200);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    await h.close();
    h = await startRemediator({ rules: TERMINATE });
    expect((await fetch(`${h.url}/api/v1/actions`)).status).toBe(200);
    const far = await h.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: '/api/v1/actions', remoteAddress: '10.1.2.3' });
    expect(far.statusCode).toBe(403);
  });
});
