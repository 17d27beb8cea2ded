import { createOutput, type Output } from '@falconer/outputs-core';
import { sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { FakeKubeObjects, kubeStatus } from '@falconer/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { policyReportOutput } from './policyreport.descriptor';
import { appendResults, policyResult } from './policyreport.format';

const signal = (): AbortSignal => new AbortController().signal;
const CLUSTER = '/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/falco-cluster-policy-report';
const inNs = (ns: string): string =>
  `/apis/wgpolicyk8s.io/v1alpha2/namespaces/${ns}/policyreports/falco-policy-report`;

/** falcosidekick's newResult (outputs/policyreport.go) for sampleEvent(): no namespace, no subject. */
const SAMPLE_RESULT = {
  source: 'Falco',
  policy: 'syscall',
  rule: 'Write below binary dir',
  category: 'SI - System and Information Integrity',
  severity: 'high',
  timestamp: { seconds: 1558107116, nanos: 746609046 },
  result: 'fail',
  message:
    '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)',
  properties: {
    'evt.time': '1507591916746609046',
    'fd.name': '/bin/hack',
    'proc.cmdline': 'touch /bin/hack',
    'user.name': 'root',
  },
};

describe('policyreport (outputs/policyreport.go) against a fake Kubernetes API', () => {
  let api: FakeKubeObjects;
  let kubeconfig: string;
  const make = (settings: Record<string, unknown> = {}): Output => {
    const { output, errors } = createOutput(policyReportOutput, {
      name: 'policyreport',
      type: 'policyreport',
      path: 'policyreport',
      settings: { enabled: true, kubeconfig, falconamespace: 'falco', ...settings },
    });
    expect(errors).toEqual([]);
    return output;
  };

  beforeAll(async () => {
    // the output loads the Kubernetes client on its first send: load it here, outside any test's time limit
    await import('@kubernetes/client-node');
    api = await FakeKubeObjects.start();
    kubeconfig = api.writeKubeconfig();
  }, 60_000);
  afterAll(() => api.close());
  beforeEach(() => {
    api.objects.clear();
    api.calls.length = 0;
    api.override = undefined;
    api.put('/api/v1/namespaces/shop', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  });

  it('creates the ClusterPolicyReport for an event without a namespace, as falcosidekick would', async () => {
    const out = make();
    expect(await out.send([sampleEvent()], signal())).toEqual({ ok: true });
    const report = api.get(CLUSTER)!;
    expect(report).toEqual({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'ClusterPolicyReport',
      metadata: {
        name: 'falco-cluster-policy-report',
        labels: { 'app.kubernetes.io/managed-by': 'falcosidekick' },
        resourceVersion: expect.any(String),
      },
      summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 },
      results: [SAMPLE_RESULT],
    });
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET ${CLUSTER}`,
      'POST /apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports',
    ]);
  });

  it("puts a pod's event in its namespace's PolicyReport with the pod as subject; unknown namespaces fall back", async () => {
    const out = make();
    const ghost = secondEvent({
      uuid: 'g',
      output_fields: { ...secondEvent().output_fields, 'k8s.ns.name': 'ghost' },
    });
    expect(await out.send([secondEvent(), ghost], signal())).toEqual({ ok: true });
    const shop = api.get(inNs('shop'))!;
    expect(shop['kind']).toBe('PolicyReport');
    expect((shop['metadata'] as Record<string, unknown>)['namespace']).toBe('shop');
    expect(shop['summary']).toEqual({ pass: 0, fail: 0, warn: 0, error: 0, skip: 1 });
    expect(shop['results']).toEqual([
      {
        source: 'Falco',
        policy: 'syscall',
        rule: 'Terminal shell in container',
        category: 'SI - System and Information Integrity',
        severity: 'low',
        timestamp: { seconds: 1795169702, nanos: 482910331 },
        result: 'skip',
        resources: [{ kind: 'Pod', namespace: 'shop', name: 'web-6d4cf56db6-q8x2z', apiVersion: 'v1' }],
        message: secondEvent().output,
        properties: {
          'container.id': '4f1c2a9b7d3e',
          'container.image.repository': 'docker.io/library/nginx',
          'k8s.ns.name': 'shop',
          'k8s.pod.name': 'web-6d4cf56db6-q8x2z',
          'proc.cmdline': 'bash',
          'proc.tty': '34816',
          'user.loginuid': '-1',
          'user.name': 'root',
        },
      },
    ]);
    const fallback = api.get(inNs('falco'))!;
    expect((fallback['results'] as { resources: unknown }[])[0]!.resources).toEqual([
      { kind: 'Pod', namespace: 'falco', name: 'web-6d4cf56db6-q8x2z', apiVersion: 'v1' },
    ]);
  });

  it('maps k8s audit targets to subjects (ka.target.resource / ka.target.name)', () => {
    const r = policyResult(
      sampleEvent({
        priority: 'Warning',
        source: 'k8s_audit',
        output_fields: Object.assign(Object.create(null) as Record<string, string>, {
          'ka.target.namespace': 'shop',
          'ka.target.resource': 'deployments',
          'ka.target.name': 'web',
        }),
      }),
    );
    expect([r.severity, r.result, r.policy]).toEqual(['medium', 'warn', 'k8s_audit']);
    expect(r.resources).toEqual([
      { kind: 'Deployment', namespace: 'shop', name: 'web', apiVersion: 'apps/v1' },
    ]);
  });

  it('rotates at maxevents: the report keeps the newest results', async () => {
    const out = make({ maxevents: 3 });
    for (let i = 0; i < 5; i++) {
      expect(await out.send([sampleEvent({ uuid: `u${i}`, rule: `rule ${i}` })], signal())).toEqual({
        ok: true,
      });
    }
    const report = api.get(CLUSTER)!;
    expect((report['results'] as { rule: string }[]).map((r) => r.rule)).toEqual([
      'rule 2',
      'rule 3',
      'rule 4',
    ]);
    expect(report['summary']).toEqual({ pass: 0, fail: 3, warn: 0, error: 0, skip: 0 });
    // one batch: one read-modify-write
    api.calls.length = 0;
    await out.send([sampleEvent({ rule: 'a' }), sampleEvent({ rule: 'b' })], signal());
    expect(api.calls.map((c) => c.method)).toEqual(['GET', 'PUT']);
    expect((api.get(CLUSTER)!['results'] as { rule: string }[]).map((r) => r.rule)).toEqual([
      'rule 4',
      'a',
      'b',
    ]);
  });

  it('prunebypriority drops the oldest medium/low/info result before any high or critical one', () => {
    const crit = policyResult(sampleEvent({ priority: 'Critical', rule: 'c1' }));
    const warn = policyResult(sampleEvent({ priority: 'Warning', rule: 'w1' }));
    const err = policyResult(sampleEvent({ priority: 'Error', rule: 'e1' }));
    const added = policyResult(sampleEvent({ priority: 'Error', rule: 'e2' }));
    const rules = (rs: { rule: string }[]): string[] => rs.map((r) => r.rule);
    expect(rules(appendResults([crit, warn, err], [added], 3, true))).toEqual(['c1', 'e1', 'e2']);
    expect(rules(appendResults([crit, warn, err], [added], 3, false))).toEqual(['w1', 'e1', 'e2']);
    expect(rules(appendResults([crit, err], [added], 2, true))).toEqual(['e1', 'e2']);
  });

  it('classifies API answers: 403 not retried, 409 Conflict and 5xx retried, unreachable API retried', async () => {
    const out = make();
    api.override = (c) =>
      c.method === 'GET'
        ? { status: 403, body: kubeStatus(403, 'Forbidden', 'policyreports is forbidden') }
        : undefined;
    expect(await out.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: false,
      reason: 'auth_error',
    });
    api.override = (c) =>
      c.method === 'POST' ? { status: 409, body: kubeStatus(409, 'AlreadyExists', 'exists') } : undefined;
    expect(await out.send([sampleEvent()], signal())).toMatchObject({ ok: false, retryable: true });
    api.override = () => ({ status: 503, body: kubeStatus(503, 'ServiceUnavailable', 'etcd') });
    expect(await out.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'server_error',
    });
    api.override = undefined;
    expect(await out.send([sampleEvent()], signal())).toEqual({ ok: true });
  });

  it('a Conflict from a concurrent writer is retried and then lands on the newer version', async () => {
    const out = make();
    await out.send([sampleEvent({ rule: 'first' })], signal());
    // another writer changes the report between our GET and PUT
    let once = true;
    api.override = (c) => {
      if (c.method === 'PUT' && once) {
        once = false;
        const cur = api.get(CLUSTER)!;
        api.put(CLUSTER, cur);
      }
      return undefined;
    };
    expect(await out.send([sampleEvent({ rule: 'second' })], signal())).toMatchObject({
      ok: false,
      retryable: true,
    });
    expect(await out.send([sampleEvent({ rule: 'second' })], signal())).toEqual({ ok: true });
    expect((api.get(CLUSTER)!['results'] as { rule: string }[]).map((r) => r.rule)).toEqual([
      'first',
      'second',
    ]);
  });

  it('refuses to start outside a cluster without a kubeconfig', () => {
    const { errors } = createOutput(policyReportOutput, {
      name: 'policyreport',
      type: 'policyreport',
      path: 'policyreport',
      settings: { enabled: true },
    });
    expect(errors).toEqual([
      'policyreport.kubeconfig: not running in a Kubernetes pod (no service account token): set a kubeconfig',
    ]);
  });
});
