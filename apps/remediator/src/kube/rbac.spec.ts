import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseRules } from '../rules/rules';
import { FakeKubeApi, type KubeCallRecord } from '../testing/fake-kube-api';
import { NodeKubeClient } from './kube.client';

const DEPLOY = resolve(import.meta.dirname, '../../../../deploy/remediator');

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

function load(name: string): unknown {
  return parseYaml(readFileSync(resolve(DEPLOY, name), 'utf8'));
}

/** The value at a path in a parsed manifest. */
function at(doc: unknown, ...path: (string | number)[]): unknown {
  let v = doc;
  for (const p of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** `verb group/resource` of one recorded API call. */
function permissionOf(c: KubeCallRecord): string {
  const verb =
    { GET: 'get', DELETE: 'delete', PATCH: 'patch', POST: 'create', PUT: 'update' }[c.method] ?? c.method;
  const core = /^\/api\/v1\/namespaces\/[^/]+\/([^/]+)/.exec(c.path);
  if (core !== null) return `${verb} /${core[1]}`;
  const grouped = /^\/apis\/([^/]+)\/[^/]+\/namespaces\/[^/]+\/([^/]+)/.exec(c.path);
  if (grouped !== null) return `${verb} ${grouped[1]}/${grouped[2]}`;
  throw new Error(`unexpected call ${c.method} ${c.path}`);
}

describe('deploy/remediator RBAC is least privilege', () => {
  let kube: FakeKubeApi;
  beforeAll(async () => {
    kube = await FakeKubeApi.start();
  });
  afterAll(async () => {
    await kube.close();
  });

  it('grants exactly the permissions of the calls the client makes', async () => {
    kube.addDeploymentPod('shop', 'web', 'web-1', 3);
    kube.addWorkload({ kind: 'StatefulSet', namespace: 'shop', name: 'db', replicas: 3, readyReplicas: 3 });
    const kc = new KubeConfig();
    kc.loadFromFile(kube.writeKubeconfig());
    const client = new NodeKubeClient(kc, 5000);
    // every operation the remediator has
    const pod = await client.getPod('shop', 'web-1');
    await client.getWorkloadScale('shop', pod.owner ?? { kind: 'ReplicaSet', name: 'missing' });
    await client.getWorkloadScale('shop', { kind: 'StatefulSet', name: 'db' });
    await client.labelPod('shop', 'web-1', { 'falconer.io/quarantined': 'true' });
    await client.createNetworkPolicy('shop', { metadata: { name: 'q' }, spec: { podSelector: {} } });
    await client.deletePod('shop', 'web-1', 0);
    const used = new Set(kube.calls.map(permissionOf));

    const role = load('clusterrole.yaml');
    expect(at(role, 'kind')).toBe('ClusterRole');
    const granted = new Set<string>();
    for (const r of at(role, 'rules') as PolicyRule[]) {
      for (const g of r.apiGroups)
        for (const res of r.resources) for (const v of r.verbs) granted.add(`${v} ${g}/${res}`);
    }
    expect([...granted].sort()).toEqual([...used].sort());
    expect([...granted].sort()).toEqual([
      'create networking.k8s.io/networkpolicies',
      'delete /pods',
      'get /pods',
      'get apps/deployments',
      'get apps/replicasets',
      'get apps/statefulsets',
      'patch /pods',
    ]);
  });

  it('binds the role to the service account the Deployment runs as', () => {
    const binding = load('clusterrolebinding.yaml');
    const sa = load('serviceaccount.yaml');
    const deployment = load('deployment.yaml');
    expect(at(binding, 'roleRef')).toMatchObject({
      kind: 'ClusterRole',
      name: at(load('clusterrole.yaml'), 'metadata', 'name'),
    });
    expect(at(binding, 'subjects')).toEqual([
      {
        kind: 'ServiceAccount',
        name: at(sa, 'metadata', 'name'),
        namespace: at(sa, 'metadata', 'namespace'),
      },
    ]);
    const spec = at(deployment, 'spec', 'template', 'spec');
    expect(at(spec, 'serviceAccountName')).toBe(at(sa, 'metadata', 'name'));
    expect(at(deployment, 'spec', 'template', 'metadata', 'labels')).toMatchObject({
      'falconer.io/remediation': 'disabled',
    });
    const env = at(spec, 'containers', 0, 'env') as { name: string; valueFrom?: unknown }[];
    expect(env).toContainEqual({
      name: 'REMEDIATOR_NAMESPACE',
      valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
    });
  });

  it('ships example rules that validate, in dry-run', () => {
    const cm = load('configmap.yaml');
    expect(at(cm, 'data', 'REMEDIATOR_DRYRUN')).toBe('true');
    const inConfigMap = parseRules(at(cm, 'data', 'rules.yaml') as string, 'configmap.yaml');
    const file = parseRules(
      readFileSync(resolve(DEPLOY, 'example-rules.yaml'), 'utf8'),
      'example-rules.yaml',
    );
    expect(inConfigMap.length).toBeGreaterThan(0);
    expect(file).toEqual(inConfigMap);
  });

  it('every manifest listed in kustomization.yaml parses', () => {
    const k = load('kustomization.yaml');
    for (const f of at(k, 'resources') as string[]) {
      const docs = parseAllDocuments(readFileSync(resolve(DEPLOY, f), 'utf8'));
      for (const d of docs) expect(d.errors, f).toEqual([]);
    }
  });
});
