import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '@falconer/testing';
import type { ActionsResponse } from './http/actions.controller';
import type { WebhookResponse } from './http/webhook.controller';
import { signBody, verifySignature } from '@falconer/util';
import { FakeKubeApi } from './testing/fake-kube-api';
import { shellEvent, startRemediator, type Harness } from './testing/harness';

/**
 * The remediator end to end over HTTP, with the real @kubernetes/client-node talking to a local fake of
 * the Kubernetes API (real Status objects), and a local receiver standing in for the router.
 */

const TERMINATE_RULES = `
- name: kill shells in prod
  match:
    rules: ["Terminal shell in container"]
    priority: ">=Notice"
    tags: [container]
  actions:
    - action: kubernetes:terminate
      parameters: { gracePeriodSeconds: 0, minHealthyReplicas: "50%" }
  continue: false
`;

const POD_PATH = (ns: string, pod: string): string => `/api/v1/namespaces/${ns}/pods/${pod}`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(
  rules = TERMINATE_RULES,
  env: Record<string, string> = {},
  kube?: FakeKubeApi,
): Promise<Harness> {
  h = await startRemediator({ rules, env, ...(kube === undefined ? {} : { kube }) });
  return h;
}

async function postEvent(
  harness: Harness,
  event: Record<string, unknown>,
): Promise<{ status: number; body: WebhookResponse }> {
  const res = await harness.post(JSON.stringify(event) + '\n');
  return { status: res.status, body: (await res.json()) as WebhookResponse };
}

async function decisionsOf(res: Response): Promise<WebhookResponse> {
  return (await res.json()) as WebhookResponse;
}

async function actionsAt(url: string, token?: string): Promise<ActionsResponse> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return (await (await fetch(url, { headers })).json()) as ActionsResponse;
}

/** A JSON error answer. */
async function errorOf(res: Response): Promise<{ error: string; message: string; field?: string }> {
  return (await res.json()) as { error: string; message: string; field?: string };
}

describe('kubernetes:terminate', () => {
  it('deletes the targeted pod, records the decision and reports it to the router, signed', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-6d4cf56db6-q8x2z', 3);
    const r = await start(TERMINATE_RULES, { REMEDIATOR_SECRET: 's3cret-for-tests' }, kube);
    const event = shellEvent('shop', 'web-6d4cf56db6-q8x2z');
    const { status, body } = await postEvent(r, event);
    expect(status).toBe(200);
    expect(body.decisions).toEqual([
      expect.objectContaining({
        uuid: event['uuid'],
        rule: 'kill shells in prod',
        action: 'kubernetes:terminate',
        outcome: 'acted',
        target: { namespace: 'shop', pod: 'web-6d4cf56db6-q8x2z' },
      }),
    ]);
    const deletes = kube.callsTo('DELETE', POD_PATH('shop', 'web-6d4cf56db6-q8x2z'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.query.get('gracePeriodSeconds')).toBe('0');
    expect(deletes[0]?.query.get('dryRun')).toBeNull();
    expect(kube.pods.has('shop/web-6d4cf56db6-q8x2z')).toBe(false);

    // the audit log
    // the read endpoints take the secret (or REMEDIATOR_TOKEN) as a bearer token once one is set
    expect((await fetch(`${r.url}/api/v1/actions`)).status).toBe(401);
    expect((await fetch(`${r.url}/metrics`)).status).toBe(401);
    const actions = await actionsAt(`${r.url}/api/v1/actions`, 's3cret-for-tests');
    expect(actions.statistics.all).toBe(1);
    expect(actions.results[0]).toMatchObject({
      uuid: event['uuid'],
      outcome: 'acted',
      action: 'kubernetes:terminate',
    });

    // the report to the router: one RemediationRecord, signed with the shared secret
    await r.router.waitFor(1);
    const report = r.router.requests[0]!;
    expect(report.method).toBe('POST');
    expect(report.url).toBe('/api/v1/remediations');
    expect(
      verifySignature('s3cret-for-tests', report.headers['x-falconer-signature'] as string, report.body),
    ).toEqual({ ok: true });
    expect(JSON.parse(report.text)).toMatchObject({
      uuid: event['uuid'],
      outcome: 'acted',
      rule: 'kill shells in prod',
    });
  });

  it('accepts 202 Accepted on DELETE', async () => {
    const kube = await FakeKubeApi.start();
    kube.deleteStatus = 202;
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const r = await start(TERMINATE_RULES, {}, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions[0]).toMatchObject({ outcome: 'acted' });
    expect(kube.callsTo('DELETE', POD_PATH('shop', 'web-1'))).toHaveLength(1);
  });

  it('never touches kube-system (or another denied namespace), and makes no API call there', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('kube-system', 'coredns', 'coredns-1', 2);
    kube.addDeploymentPod('falconer', 'remediator', 'remediator-1', 2);
    const r = await start(TERMINATE_RULES, { REMEDIATOR_NAMESPACE: 'falconer' }, kube);
    const a = await postEvent(r, shellEvent('kube-system', 'coredns-1'));
    const b = await postEvent(r, shellEvent('falconer', 'remediator-1'));
    expect(a.body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('deny-list'),
    });
    expect(b.body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('deny-list'),
    });
    expect(kube.calls).toHaveLength(0);
    expect(kube.pods.size).toBe(2);
  });

  it('leaves pods labelled falconer.io/remediation=disabled alone', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3, 3, { 'falconer.io/remediation': 'disabled' });
    const r = await start(TERMINATE_RULES, {}, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('falconer.io/remediation=disabled'),
    });
    expect(kube.mutatingCalls).toHaveLength(0);
    expect(kube.pods.has('shop/web-1')).toBe(true);
  });

  it('does not delete DaemonSet pods, nor StatefulSet or standalone pods when told to ignore them', async () => {
    const kube = await FakeKubeApi.start();
    kube.addWorkload({ kind: 'DaemonSet', namespace: 'shop', name: 'agent', replicas: 5, readyReplicas: 5 });
    kube.addPod({ namespace: 'shop', name: 'agent-x1', owner: { kind: 'DaemonSet', name: 'agent' } });
    kube.addWorkload({ kind: 'StatefulSet', namespace: 'shop', name: 'db', replicas: 3, readyReplicas: 3 });
    kube.addPod({ namespace: 'shop', name: 'db-0', owner: { kind: 'StatefulSet', name: 'db' } });
    kube.addPod({ namespace: 'shop', name: 'debug' });
    const rules = `
- name: kill
  match: { rules: ["Terminal shell in container"] }
  actions:
    - action: kubernetes:terminate
      parameters: { ignoreStatefulsets: true }
`;
    const r = await start(rules, {}, kube);
    const ds = await postEvent(r, shellEvent('shop', 'agent-x1'));
    const ss = await postEvent(r, shellEvent('shop', 'db-0'));
    const standalone = await postEvent(r, shellEvent('shop', 'debug'));
    expect(ds.body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('DaemonSet agent'),
    });
    expect(ss.body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('StatefulSet db'),
    });
    expect(standalone.body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('standalone pod'),
    });
    expect(kube.mutatingCalls).toHaveLength(0);
    // the owner kind comes from the pod's ownerReferences: the DaemonSet itself is never read
    expect(kube.calls.filter((c) => c.path.includes('daemonsets'))).toHaveLength(0);
  });

  it('minHealthyReplicas as a percentage of the desired replicas: refuses below it, acts above it', async () => {
    const kube = await FakeKubeApi.start();
    // 4 desired, 2 ready: deleting one leaves 1 < 50% of 4 = 2
    kube.addDeploymentPod('shop', 'cart', 'cart-1', 4, 2);
    // 3 desired, 3 ready: deleting one leaves 2 ≥ ceil(50% of 3) = 2
    kube.addDeploymentPod('shop', 'web', 'web-1', 3, 3);
    const r = await start(TERMINATE_RULES, {}, kube);
    const low = await postEvent(r, shellEvent('shop', 'cart-1'));
    expect(low.body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason:
        'deleting would leave 1 ready of 4 desired replicas of Deployment cart; minHealthyReplicas 50% needs 2',
    });
    expect(kube.callsTo('DELETE', POD_PATH('shop', 'cart-1'))).toHaveLength(0);
    // the owner chain was read: ReplicaSet, then its Deployment
    expect(kube.calls.map((c) => `${c.method} ${c.path}`)).toEqual(
      expect.arrayContaining([
        'GET /apis/apps/v1/namespaces/shop/replicasets/cart-6d4cf56db6',
        'GET /apis/apps/v1/namespaces/shop/deployments/cart',
      ]),
    );
    const ok = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(ok.body.decisions[0]).toMatchObject({ outcome: 'acted' });
    expect(kube.callsTo('DELETE', POD_PATH('shop', 'web-1'))).toHaveLength(1);
  });

  it('minHealthyReplicas as a count', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 10, 3);
    const rules = TERMINATE_RULES.replace('"50%"', '3');
    const r = await start(rules, {}, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('minHealthyReplicas 3 needs 3'),
    });
    expect(kube.mutatingCalls).toHaveLength(0);
  });

  it('reports a 404 as "already gone", not as a failure', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const r = await start(TERMINATE_RULES, {}, kube);
    // the pod is gone before the remediator looks
    const missing = await postEvent(r, shellEvent('shop', 'web-404'));
    expect(missing.body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      status: 404,
      reason: expect.stringContaining('already gone'),
    });
    // the pod disappears between the GET and the DELETE
    kube.override = (c) =>
      c.method === 'DELETE'
        ? {
            status: 404,
            body: {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Failure',
              message: 'pods "web-1" not found',
              reason: 'NotFound',
              details: { name: 'web-1', kind: 'pods' },
              code: 404,
            },
          }
        : undefined;
    const raced = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(raced.body.decisions[0]).toMatchObject({
      outcome: 'skipped',
      status: 404,
      reason: 'pod already gone (404 NotFound): pods "web-1" not found',
    });
  });

  it('reports a 403 as a failure naming the missing permission', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    kube.forbidden.add('delete pods');
    const r = await start(TERMINATE_RULES, {}, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions[0]).toMatchObject({ outcome: 'failed', status: 403 });
    expect(body.decisions[0]?.reason).toContain('lacks permission to delete pods in namespace shop');
    expect(body.decisions[0]?.reason).toContain(
      'cannot delete resource "pods" in API group "" in the namespace "shop"',
    );
    expect(kube.pods.has('shop/web-1')).toBe(true);
    await r.router.waitFor(1);
    expect(JSON.parse(r.router.requests[0]!.text)).toMatchObject({ outcome: 'failed', status: 403 });
  });

  it('a 403 on reading the owner names that permission too', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    kube.forbidden.add('get deployments');
    const r = await start(TERMINATE_RULES, {}, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions[0]).toMatchObject({ outcome: 'failed', status: 403 });
    expect(body.decisions[0]?.reason).toContain('lacks permission to get deployments.apps in namespace shop');
    expect(kube.mutatingCalls).toHaveLength(0);
  });

  it('reports other API errors with their status and an unreachable API as a failure', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    kube.override = (c) =>
      c.method === 'DELETE'
        ? {
            status: 409,
            body: {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Failure',
              message: `Operation cannot be fulfilled on pods "web-1": the object has been modified ${'x'.repeat(5000)}`,
              reason: 'Conflict',
              code: 409,
            },
          }
        : undefined;
    const r = await start(TERMINATE_RULES, {}, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions[0]).toMatchObject({
      outcome: 'failed',
      status: 409,
      reason: expect.stringContaining('Conflict'),
    });
    // the router stores reasons up to 4000 characters; long API messages are clipped
    expect(body.decisions[0]?.reason?.length).toBe(1000);

    await kube.close();
    const down = await postEvent(r, shellEvent('shop', 'web-2'));
    expect(down.status).toBe(200);
    expect(down.body.decisions[0]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('unreachable'),
    });
    expect(down.body.decisions[0]?.status).toBeUndefined();
    kube.close = () => Promise.resolve();
  });
});

describe('dry-run', () => {
  it('global dry-run records what would happen and makes no mutating call, not even dryRun=All', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const rules = `
- name: respond
  match: { rules: ["Terminal shell in container"] }
  actions:
    - action: kubernetes:terminate
      parameters: { ignoreStandalonePods: false }
    - action: kubernetes:label
      parameters: { labels: { falconer.io/quarantined: "true" } }
    - action: kubernetes:networkpolicy
`;
    const r = await start(rules, { REMEDIATOR_DRYRUN: 'true' }, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions.map((d) => d?.outcome)).toEqual(['dry_run', 'dry_run', 'dry_run']);
    expect(body.decisions[0]?.reason).toBe(
      'dry-run, global dry-run (REMEDIATOR_DRYRUN): would delete pod shop/web-1',
    );
    expect(kube.mutatingCalls).toEqual([]);
    expect(kube.calls.every((c) => c.method === 'GET' && !c.query.has('dryRun'))).toBe(true);
    expect(kube.pods.get('shop/web-1')?.labels).not.toHaveProperty('falconer.io/quarantined');
  });

  it('a rule with dryRun: true stays dry while other rules act', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const rules = `
- name: try it first
  match: { rules: ["Terminal shell in container"] }
  dryRun: true
  actions: [ { action: kubernetes:terminate } ]
- name: label it for real
  match: { rules: ["Terminal shell*"] }
  actions: [ { action: kubernetes:label, parameters: { labels: { falconer.io/seen: "shell" } } } ]
`;
    const r = await start(rules, { REMEDIATOR_DRYRUN: 'false' }, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions.map((d) => `${d.rule}:${d.outcome}`)).toEqual([
      'try it first:dry_run',
      'label it for real:acted',
    ]);
    expect(body.decisions[0]?.reason).toContain('rule "try it first" has dryRun: true');
    expect(kube.mutatingCalls.map((c) => c.method)).toEqual(['PATCH']);
    expect(kube.pods.get('shop/web-1')?.labels).toMatchObject({ 'falconer.io/seen': 'shell' });
  });
});

describe('alert storms', () => {
  it('100 identical alerts within a second cause one action (per-pod cooldown)', async () => {
    const kube = await FakeKubeApi.start();
    // graceful deletion: the pod stays Terminating, so only the cooldown can stop a second DELETE
    kube.keepDeletedPods = true;
    kube.delayMs = 5;
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const r = await start(TERMINATE_RULES, {}, kube);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => postEvent(r, shellEvent('shop', 'web-1'))),
    );
    const outcomes = results.map((x) => x.body.decisions[0]?.outcome);
    expect(outcomes.filter((o) => o === 'acted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(99);
    expect(results.filter((x) => String(x.body.decisions[0]?.reason).startsWith('cooldown'))).toHaveLength(
      99,
    );
    expect(kube.callsTo('DELETE', POD_PATH('shop', 'web-1'))).toHaveLength(1);
  });

  it('the global rate limit holds when many pods alert at once', async () => {
    const kube = await FakeKubeApi.start();
    for (let i = 0; i < 60; i++) kube.addDeploymentPod('shop', `app${i}`, `app${i}-pod`, 3);
    const r = await start(TERMINATE_RULES, { REMEDIATOR_RATELIMIT: '5/min' }, kube);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => postEvent(r, shellEvent('shop', `app${i}-pod`))),
    );
    const outcomes = results.map((x) => x.body.decisions[0]);
    expect(outcomes.filter((d) => d?.outcome === 'acted')).toHaveLength(5);
    expect(
      outcomes.filter(
        (d) => d?.outcome === 'skipped' && String(d?.reason).startsWith('rate limit 5/min reached'),
      ),
    ).toHaveLength(55);
    expect(kube.calls.filter((c) => c.method === 'DELETE')).toHaveLength(5);
    expect(kube.pods.size).toBe(55);
  });
});

describe('webhook input', () => {
  it('with a secret: a forged, missing, stale or tampered signature gets 401 JSON and nothing happens', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const r = await start(TERMINATE_RULES, { REMEDIATOR_SECRET: 'right-secret' }, kube);
    const body = JSON.stringify(shellEvent('shop', 'web-1')) + '\n';
    const attempts: Record<string, string | undefined> = {
      forged: signBody('wrong-secret', body),
      missing: undefined,
      stale: signBody('right-secret', body, Math.floor(Date.now() / 1000) - 301),
      tampered: signBody('right-secret', body.replace('web-1', 'web-2')),
      malformed: 'sha256=abc',
    };
    for (const [name, sig] of Object.entries(attempts)) {
      const headers: Record<string, string> = sig === undefined ? {} : { 'x-falconer-signature': sig };
      const res = await fetch(`${r.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(res.status, name).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await errorOf(res), name).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
    }
    expect(kube.calls).toHaveLength(0);
    const ok = await r.post(body);
    expect(ok.status).toBe(200);
    expect(kube.callsTo('DELETE', POD_PATH('shop', 'web-1'))).toHaveLength(1);
  });

  it('accepts a batched webhook body (JSON array), a raw Falco event and the falcosidekick-ui envelope', async () => {
    const kube = await FakeKubeApi.start();
    for (const p of ['a', 'b', 'c']) kube.addDeploymentPod('shop', p, `${p}-1`, 3);
    const r = await start(TERMINATE_RULES, {}, kube);
    const res = await r.post(JSON.stringify([shellEvent('shop', 'a-1'), shellEvent('shop', 'b-1')]));
    const body = await decisionsOf(res);
    expect(body.events).toBe(2);
    expect(body.decisions.map((d) => d?.outcome)).toEqual(['acted', 'acted']);
    // raw Falco: no uuid, form content type (program_output with curl -d)
    const raw = await fetch(`${r.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ ...shellEvent('shop', 'c-1'), uuid: undefined }),
    });
    const rawBody = await decisionsOf(raw);
    expect(rawBody.decisions[0]).toMatchObject({
      outcome: 'acted',
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const env = await r.post(JSON.stringify({ event: shellEvent('kube-system', 'x'), outputs: ['Webhook'] }));
    expect((await decisionsOf(env)).decisions[0]).toMatchObject({ outcome: 'skipped' });
  });

  it('answers 202 when the Kubernetes API is slow, and finishes the work in the background', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    kube.delayMs = 400;
    const r = await start(TERMINATE_RULES, { REMEDIATOR_REPLY_TIMEOUT: '200ms' }, kube);
    const event = shellEvent('shop', 'web-1');
    const res = await r.post(JSON.stringify(event));
    expect(res.status).toBe(202);
    expect(await decisionsOf(res)).toEqual({ events: 1, decisions: [], pending: true });
    await r.router.waitFor(1);
    expect(JSON.parse(r.router.requests[0]!.text)).toMatchObject({ uuid: event['uuid'], outcome: 'acted' });
    expect(kube.callsTo('DELETE', POD_PATH('shop', 'web-1'))).toHaveLength(1);
  });

  it('refuses invalid bodies with 400 JSON and a reason', async () => {
    const r = await start();
    for (const [body, field] of [
      ['{"rule":', undefined],
      ['[]', undefined],
      [JSON.stringify({ ...shellEvent('shop', 'x'), priority: 'urgent' }), 'priority'],
      [JSON.stringify([shellEvent('shop', 'x'), { rule: 'r' }]), '[1].priority'],
    ] as const) {
      const res = await r.post(body);
      expect(res.status, body).toBe(400);
      const json = await errorOf(res);
      expect(json.message).toEqual(expect.any(String));
      if (field !== undefined) expect(json.field).toBe(field);
    }
    const big = await r.post(
      JSON.stringify(shellEvent('shop', 'x', { outputFields: { blob: 'x'.repeat(1_100_000) } })),
    );
    expect(big.status).toBe(413);
    expect(await errorOf(big)).toMatchObject({ message: expect.any(String) });
    const notUtf8 = await r.post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(notUtf8.status).toBe(400);
    expect(r.kube.calls).toHaveLength(0);
  });

  it('skips events without a usable target, without calling the API', async () => {
    const r = await start();
    const results = await Promise.all([
      postEvent(r, shellEvent(null, null)),
      postEvent(r, shellEvent('shop', '<NA>')),
      postEvent(r, shellEvent('<NA>', 'web-1')),
      postEvent(r, shellEvent('shop', '../../secrets/x')),
    ]);
    for (const x of results)
      expect(x.body.decisions[0]).toMatchObject({
        outcome: 'skipped',
        reason: expect.stringMatching(/^no target/),
      });
    expect(results[0]?.body.decisions[0]?.target).toBeUndefined();
    expect(r.kube.calls).toHaveLength(0);
  });

  it('targets the pod of a Kubernetes audit event (ka.target.*)', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('payments', 'payments-api', 'payments-api-7f9c', 3);
    const rules = `
- name: exec into payments
  match: { rules: ["Attach/Exec Pod"], source: k8s_audit, fields: { ka.target.namespace: [payments] } }
  actions: [ { action: kubernetes:terminate } ]
`;
    const r = await start(rules, {}, kube);
    const res = await r.post(fixture('k8s-audit-exec'));
    expect((await decisionsOf(res)).decisions[0]).toMatchObject({
      outcome: 'acted',
      target: { namespace: 'payments', pod: 'payments-api-7f9c' },
    });
    expect(kube.callsTo('DELETE', POD_PATH('payments', 'payments-api-7f9c'))).toHaveLength(1);
  });
});

describe('other actions', () => {
  it('kubernetes:label patches the labels with a merge patch', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const rules = `
- name: mark
  match: { rules: ["Terminal shell in container"] }
  actions: [ { action: kubernetes:label, parameters: { labels: { falconer.io/quarantined: "true", team: sec } } } ]
`;
    const r = await start(rules, {}, kube);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1'));
    expect(body.decisions[0]).toMatchObject({ outcome: 'acted', action: 'kubernetes:label' });
    const patch = kube.callsTo('PATCH', POD_PATH('shop', 'web-1'))[0]!;
    expect(patch.contentType).toBe('application/merge-patch+json');
    expect(patch.body).toEqual({ metadata: { labels: { 'falconer.io/quarantined': 'true', team: 'sec' } } });
    expect(kube.pods.get('shop/web-1')?.labels).toMatchObject({
      app: 'web',
      'falconer.io/quarantined': 'true',
      team: 'sec',
    });
  });

  it('kubernetes:networkpolicy labels the pod and creates one deny-all policy per namespace (409 = already there)', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    kube.addDeploymentPod('shop', 'cart', 'cart-1', 3);
    const rules = `
- name: isolate
  match: { rules: ["Terminal shell in container"] }
  actions: [ { action: kubernetes:networkpolicy } ]
`;
    const r = await start(rules, {}, kube);
    const a = await postEvent(r, shellEvent('shop', 'web-1'));
    const b = await postEvent(r, shellEvent('shop', 'cart-1'));
    expect(a.body.decisions[0]).toMatchObject({ outcome: 'acted' });
    expect(b.body.decisions[0]).toMatchObject({ outcome: 'acted' });
    const posts = kube.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.path).toBe('/apis/networking.k8s.io/v1/namespaces/shop/networkpolicies');
    expect(posts[0]!.body).toMatchObject({
      metadata: { name: 'falconer-quarantine' },
      spec: {
        podSelector: { matchLabels: { 'falconer.io/quarantined': 'true' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [],
      },
    });
    expect(kube.networkPolicies.size).toBe(1);
    expect(kube.pods.get('shop/cart-1')?.labels).toMatchObject({ 'falconer.io/quarantined': 'true' });
  });

  it('log records a decision without any API call', async () => {
    const rules = `
- name: note it
  match: { priority: ">=Warning" }
  actions: [ { action: log, parameters: { message: "shell in a pod" } } ]
`;
    const r = await start(rules);
    const { body } = await postEvent(r, shellEvent('shop', 'web-1', { priority: 'Critical' }));
    expect(body.decisions[0]).toMatchObject({
      outcome: 'acted',
      action: 'log',
      reason: 'logged: shell in a pod',
    });
    const none = await postEvent(r, shellEvent('shop', 'web-1', { priority: 'Notice' }));
    expect(none.body.decisions).toEqual([]);
    expect(r.kube.calls).toHaveLength(0);
  });
});

describe('operations endpoints', () => {
  it('GET /api/v1/actions lists the audit log newest first, filters by uuid and outcome, checks parameters', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const r = await start(TERMINATE_RULES, {}, kube);
    const first = shellEvent('kube-system', 'x');
    const second = shellEvent('shop', 'web-1');
    await postEvent(r, first);
    await postEvent(r, second);
    const all = await actionsAt(`${r.url}/api/v1/actions`);
    expect(all.statistics.all).toBe(2);
    expect(all.results.map((e) => e.uuid)).toEqual([second['uuid'], first['uuid']]);
    const one = await actionsAt(`${r.url}/api/v1/actions?uuid=${first['uuid'] as string}`);
    expect(one.results).toHaveLength(1);
    expect(one.results[0]).toMatchObject({
      outcome: 'skipped',
      target: { namespace: 'kube-system', pod: 'x' },
    });
    const acted = await actionsAt(`${r.url}/api/v1/actions?outcome=acted&limit=5`);
    expect(acted.results.map((e) => e.uuid)).toEqual([second['uuid']]);
    const bad = await fetch(`${r.url}/api/v1/actions?limit=banana`);
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ error: 'bad_request', field: 'limit' });
  });

  it('GET /healthz and GET /metrics', async () => {
    const kube = await FakeKubeApi.start();
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    const r = await start(TERMINATE_RULES, {}, kube);
    const health = await fetch(`${r.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', rules: 1, dryRun: false });
    await postEvent(r, shellEvent('shop', 'web-1'));
    await postEvent(r, shellEvent('kube-system', 'x'));
    await r.router.waitFor(2);
    const metrics = await fetch(`${r.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain(
      'falconer_remediator_decisions_total{action="kubernetes:terminate",outcome="acted",reason="done"} 1',
    );
    expect(text).toContain(
      'falconer_remediator_decisions_total{action="kubernetes:terminate",outcome="skipped",reason="denied_namespace"} 1',
    );
    expect(text).toContain('falconer_remediator_requests_total{status="accepted"} 2');
    expect(text).toContain('falconer_remediator_reports_total{status="ok"} 2');
    expect(text).toContain('process_cpu_seconds_total');
  });
});
