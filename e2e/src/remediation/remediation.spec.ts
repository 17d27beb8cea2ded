import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, RemediationRecord } from '@falconer/contracts';
import { fixture } from '@falconer/testing';
import { freePort, launchRouter, type RouterProcess } from '../support/router-process';
import { KubeApiFake } from './kube-api.fake';
import { runRemediatorToExit, startRemediator, type RemediatorProcess } from './remediator-process';

/**
 * Event → router → signed webhook → remediator → Kubernetes call → the decision on the event in the
 * router's API. Both apps run from their builds (`npm run build`), as a user would run them.
 */

const SECRET = 'e2e-shared-secret-0123456789';
const POD = 'web-6d4cf56db6-q8x2z';
const POD_PATH = `/api/v1/namespaces/shop/pods/${POD}`;

const RULES = `
- name: kill shells in prod
  match:
    rules: ["Terminal shell in container"]
    priority: ">=Notice"
    tags: [container]
    fields: { "k8s.ns.name": ["shop", "payments"] }
  actions:
    - action: kubernetes:terminate
      parameters: { gracePeriodSeconds: 0, minHealthyReplicas: "50%" }
  continue: false
`;

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'falconer-e2e-')), name);
  writeFileSync(file, text);
  return file;
}

/** Polls until `check` returns a value (or throws the last reason after timeoutMs). */
async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('remediation end to end', () => {
  let kube: KubeApiFake;
  let router: RouterProcess | undefined;
  let remediator: RemediatorProcess | undefined;

  beforeAll(async () => {
    kube = await KubeApiFake.start();
    kube.addDeploymentPod('shop', 'web', POD, 4);
    const remediatorPort = await freePort();
    router = await launchRouter({
      env: {
        WEBHOOK_ADDRESS: `http://127.0.0.1:${remediatorPort}/`,
        WEBHOOK_SIGNING_SECRET: SECRET,
        // the router checks the remediator's signed reports with this secret
        REMEDIATION_SECRET: SECRET,
        // the fixture's time is fixed: keep it whatever today's date (the default TTL is 7 days)
        STORE_TTL: '0',
      },
    });
    remediator = await startRemediator(remediatorPort, {
      REMEDIATOR_RULES: tempFile('rules.yaml', RULES),
      REMEDIATOR_DRYRUN: 'false',
      REMEDIATOR_SECRET: SECRET,
      REMEDIATOR_ROUTER_URL: router.url,
      KUBECONFIG: kube.writeKubeconfig(),
    });
  });

  afterAll(async () => {
    await remediator?.stop();
    await router?.stop();
    await kube?.close();
  });

  it('a shell in a shop pod: the router signs the webhook, the remediator deletes the pod, the router shows the decision', async () => {
    const r = router as RouterProcess;
    const m = remediator as RemediatorProcess;
    const uuid = randomUUID();
    // the shared fixture as Falco sends it, plus a sender uuid (which the router keeps) to look it up
    const body = fixture('shell-in-container').replace(/^\{/, `{"uuid":"${uuid}",`);
    expect(await r.post(body)).toBe(200);

    await kube
      .waitForCall((c) => c.method === 'DELETE' && c.path === POD_PATH, 30_000)
      .catch((err: Error) => {
        throw new Error(`${err.message}\n--- router ---\n${r.output()}\n--- remediator ---\n${m.output()}`);
      });
    const del = kube.calls.find((c) => c.method === 'DELETE' && c.path === POD_PATH);
    expect(del?.query).toContain('gracePeriodSeconds=0');
    expect(del?.query).not.toContain('dryRun');
    expect(kube.has(POD_PATH)).toBe(false);
    // the guard read the owner chain before deleting
    expect(kube.calls.map((c) => `${c.method} ${c.path}`)).toEqual(
      expect.arrayContaining([
        'GET /apis/apps/v1/namespaces/shop/replicasets/web-7d9f8b6c5d',
        'GET /apis/apps/v1/namespaces/shop/deployments/web',
      ]),
    );

    // the remediator's own audit log (its read endpoints take the secret as a bearer token)
    const actions = (await (
      await fetch(`${m.url}/api/v1/actions?uuid=${uuid}`, { headers: { authorization: `Bearer ${SECRET}` } })
    ).json()) as {
      results: RemediationRecord[];
    };
    expect(actions.results).toEqual([
      expect.objectContaining({
        uuid,
        rule: 'kill shells in prod',
        action: 'kubernetes:terminate',
        outcome: 'acted',
        target: { namespace: 'shop', pod: POD },
      }),
    ]);

    // the router's API: the decision is stored with the event
    let last = '';
    const detail = await eventually(
      async () => {
        const res = await fetch(`${r.url}/api/v1/events/${uuid}`);
        last = `${res.status} ${await res.clone().text()}`;
        if (!res.ok) return undefined;
        const d = (await res.json()) as EventDetail;
        return d.remediations.length > 0 ? d : undefined;
      },
      20_000,
      () =>
        `the remediation on GET /api/v1/events/${uuid}; last answer: ${last}\n--- router ---\n${r.output()}\n--- remediator ---\n${m.output()}`,
    );
    expect(detail.event.uuid).toBe(uuid);
    expect(detail.remediations).toEqual([
      expect.objectContaining({
        uuid,
        rule: 'kill shells in prod',
        action: 'kubernetes:terminate',
        outcome: 'acted',
        target: { namespace: 'shop', pod: POD },
      }),
    ]);
    expect(detail.deliveries).toEqual(
      expect.arrayContaining([expect.objectContaining({ state: 'delivered' })]),
    );
  });

  it('the remediator refuses an unsigned or forged call', async () => {
    const m = remediator as RemediatorProcess;
    const res = await fetch(`${m.url}/`, { method: 'POST', body: fixture('shell-in-container') });
    expect(res.status).toBe(401);
    const forged = await fetch(`${m.url}/`, {
      method: 'POST',
      headers: { 'x-falconer-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'ab'.repeat(32)}` },
      body: fixture('shell-in-container'),
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'unauthorized' });
  });
});

describe('remediator start-up', () => {
  it('refuses to start with invalid rules and says what is wrong', async () => {
    const bad = tempFile(
      'rules.yaml',
      '- name: everything\n  match: {}\n  actions: [ { action: kubernetes:nuke } ]\n',
    );
    const { code, output } = await runRemediatorToExit({
      REMEDIATOR_RULES: bad,
      REMEDIATOR_PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(output).toContain(`invalid response rules in ${bad}`);
    expect(output).toContain('rules[0] ("everything").match: needs at least one condition');
    expect(output).toContain('rules[0] ("everything").actions[0].action: unknown action');
  });

  it('a new install runs in dry-run mode', async () => {
    // a kubeconfig whose API server is gone: a dry-run start must not need the cluster
    const gone = await KubeApiFake.start();
    const kubeconfig = gone.writeKubeconfig();
    await gone.close();
    const m = await startRemediator(await freePort(), {
      REMEDIATOR_RULES: tempFile('rules.yaml', RULES),
      KUBECONFIG: kubeconfig,
    });
    try {
      const health = (await (await fetch(`${m.url}/healthz`)).json()) as { dryRun: boolean };
      expect(health.dryRun).toBe(true);
      expect(m.output()).toContain('DRY-RUN');
    } finally {
      await m.stop();
    }
  });
});
