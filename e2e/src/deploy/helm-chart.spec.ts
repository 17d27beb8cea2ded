import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { helm } from '../support/helm';
import { fixture } from '@falconer/testing';
import { REPO_ROOT, launchRouter } from '../support/router-process';

// `helm lint` and `helm template` (helm v3 from the devDependency's Lambda layer), offline: no cluster.
const CHART = 'deploy/helm/falconer';
const HA_VALUES = `${CHART}/ci/ha-values.yaml`;

// Minimal typings of the objects the assertions read.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function render(...args: string[]): Obj[] {
  const r = helm(['template', 'rel', CHART, '--namespace', 'sec', ...args]);
  if (r.status !== 0) throw new Error(`helm template failed:\n${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

function find(objs: Obj[], kind: string, name: string): Obj {
  const o = objs.find((x) => x['kind'] === kind && x['metadata']?.['name'] === name);
  if (o === undefined)
    throw new Error(
      `no ${kind} ${name} in ${objs.map((x) => `${x['kind']}/${x['metadata']?.['name']}`).join(', ')}`,
    );
  return o;
}

function secretValue(secret: Obj, key: string): string {
  const data = secret['data'] as Record<string, string> | undefined;
  const b64 = data?.[key];
  if (b64 === undefined) throw new Error(`secret ${secret['metadata']['name']} has no ${key}`);
  return Buffer.from(b64, 'base64').toString('utf8');
}

function routerConfig(objs: Obj[]): Obj {
  return parseYaml(find(objs, 'ConfigMap', 'rel-falconer')['data']['config.yaml'] as string) as Obj;
}

/**
 * NOTES.txt as `helm install` would print it. `helm install --dry-run` needs a cluster and `helm template`
 * leaves NOTES out, so a copy of the chart renders it into a ConfigMap.
 */
function renderNotes(...args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-chart-'));
  try {
    cpSync(resolve(REPO_ROOT, CHART), dir, { recursive: true });
    const text = readFileSync(join(dir, 'templates/NOTES.txt'), 'utf8');
    rmSync(join(dir, 'templates/NOTES.txt'));
    writeFileSync(join(dir, 'templates/_notes.tpl'), `{{- define "test.notes" -}}\n${text}{{- end -}}\n`);
    writeFileSync(
      join(dir, 'templates/notes.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: notes }\ndata: { notes: {{ include "test.notes" . | toJson }} }\n',
    );
    const r = helm([
      'template',
      'rel',
      dir,
      '--namespace',
      'sec',
      '--show-only',
      'templates/notes.yaml',
      ...args,
    ]);
    if (r.status !== 0) throw new Error(`helm template failed:\n${r.stderr}`);
    return (parseYaml(r.stdout) as Obj)['data']['notes'] as string;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function kinds(objs: Obj[]): string[] {
  return objs.map((o) => `${o['kind']}/${o['metadata']['name']}`).sort();
}

function routerContainer(objs: Obj[]): Obj {
  return find(objs, 'Deployment', 'rel-falconer')['spec']['template']['spec']['containers'][0] as Obj;
}

describe('helm chart deploy/helm/falconer', () => {
  it('passes helm lint --strict with the default and the HA values', () => {
    for (const extra of [[], ['-f', HA_VALUES], ['--set', 'remediator.enabled=true']]) {
      const r = helm(['lint', '--strict', CHART, ...extra]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('0 chart(s) failed');
      expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    }
  });

  it('default values: one hardened router, in-memory, an operator with a generated password', () => {
    const objs = render();
    expect(kinds(objs)).toEqual([
      'ConfigMap/rel-falconer',
      'Deployment/rel-falconer',
      'NetworkPolicy/rel-falconer',
      'Secret/rel-falconer-credentials',
      'Secret/rel-falconer-env',
      'Service/rel-falconer',
    ]);

    const dep = find(objs, 'Deployment', 'rel-falconer');
    expect(dep['spec']['replicas']).toBe(1);
    const pod = dep['spec']['template']['spec'] as Obj;
    expect(pod['automountServiceAccountToken']).toBe(false);
    expect(pod['securityContext']).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    const c = routerContainer(objs);
    expect(c['securityContext']).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c['ports']).toEqual([{ name: 'http', containerPort: 2801, protocol: 'TCP' }]);
    expect(c['readinessProbe']['httpGet']).toEqual({ path: '/healthz', port: 'http' });
    expect(c['livenessProbe']['httpGet']).toEqual({ path: '/ping', port: 'http' });
    expect(c['resources']['limits']['memory']).toBeDefined();
    expect(c['env']).toContainEqual({ name: 'FALCONER_CONFIG', value: '/etc/falconer/config.yaml' });
    expect(c['envFrom']).toEqual([{ secretRef: { name: 'rel-falconer-env' } }]);

    const svc = find(objs, 'Service', 'rel-falconer');
    expect(svc['spec']['ports']).toEqual([{ name: 'http', port: 2801, targetPort: 'http', protocol: 'TCP' }]);
    expect(svc['spec']['selector']).toEqual(dep['spec']['selector']['matchLabels']);

    // listens on all interfaces inside the pod, the dashboard behind a login
    const config = routerConfig(objs);
    expect(config).toMatchObject({ listenaddress: '', listenport: 2801, ui: { enabled: true, open: false } });
    expect(config['redis']).toEqual({ cluster: false, spool: { maxevents: 100_000 } });
    const users = config['auth']['dashboard']['users'] as Obj[];
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ username: 'admin', role: 'operator' });

    // the hash in the ConfigMap is the bcrypt of the password in the Secret NOTES.txt points at
    const creds = find(objs, 'Secret', 'rel-falconer-credentials');
    const password = secretValue(creds, 'operator-password');
    expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(bcrypt.compareSync(password, users[0]?.['passwordhash'] as string)).toBe(true);
    expect(secretValue(creds, 'operator-passwordhash')).toBe(users[0]?.['passwordhash']);
    expect(creds['metadata']['annotations']['helm.sh/resource-policy']).toBe('keep');

    // a new install generates a different password
    const again = secretValue(find(render(), 'Secret', 'rel-falconer-credentials'), 'operator-password');
    expect(again).not.toBe(password);
  });

  it('the built router starts with the config.yaml the chart renders (HA values) and takes events', async () => {
    const objs = render('-f', HA_VALUES);
    const dir = mkdtempSync(join(tmpdir(), 'falconer-chart-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, find(objs, 'ConfigMap', 'rel-falconer')['data']['config.yaml'] as string);
    // the chart's Redis is not here: the router runs in memory mode on the rest of the rendered settings
    const router = await launchRouter({ env: { FALCONER_CONFIG: file } });
    try {
      expect(await router.post(fixture('shell-in-container'))).toBe(200);
    } finally {
      await router.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('NOTES.txt says how to read the generated password', () => {
    const notes = renderNotes();
    expect(notes).toContain('Dashboard login: user "admin"');
    expect(notes).toContain(
      "kubectl -n sec get secret rel-falconer-credentials \\\n    -o jsonpath='{.data.operator-password}' | base64 -d",
    );
    expect(notes).toContain('http_output.url: http://rel-falconer.sec.svc:2801/');
    expect(notes).toContain('History and queues are in memory');
    expect(renderNotes('--set', 'ui.open=true')).toContain('WARNING: ui.open is true');
  });

  it('HA values: two replicas on a bundled Redis with a generated password, PDB, Ingress, ServiceMonitor', () => {
    const objs = render('-f', HA_VALUES);
    expect(kinds(objs)).toEqual([
      'ConfigMap/rel-falconer',
      'Deployment/rel-falconer',
      'Ingress/rel-falconer',
      'NetworkPolicy/rel-falconer',
      'NetworkPolicy/rel-falconer-redis',
      'PodDisruptionBudget/rel-falconer',
      'Secret/rel-falconer-credentials',
      'Secret/rel-falconer-env',
      'Service/rel-falconer',
      'Service/rel-falconer-redis',
      'ServiceMonitor/rel-falconer',
      'StatefulSet/rel-falconer-redis',
    ]);
    const dep = find(objs, 'Deployment', 'rel-falconer');
    expect(dep['spec']['replicas']).toBe(2);
    expect(dep['spec']['template']['spec']['affinity']['podAntiAffinity']).toBeDefined();

    // Redis: a password from the credentials Secret, on the router side and the server side
    const creds = find(objs, 'Secret', 'rel-falconer-credentials');
    expect(secretValue(creds, 'redis-password')).toMatch(/^[A-Za-z0-9]{32}$/);
    const fromCreds = { secretKeyRef: { name: 'rel-falconer-credentials', key: 'redis-password' } };
    const env = routerContainer(objs)['env'] as Obj[];
    expect(env).toContainEqual({ name: 'FALCONER_REDIS_PASSWORD', valueFrom: fromCreds });
    expect(env).toContainEqual({
      name: 'REDIS_URL',
      value: 'redis://:$(FALCONER_REDIS_PASSWORD)@rel-falconer-redis:6379/0',
    });
    // Kubernetes expands $(VAR) only from variables defined earlier in the list
    expect(env.findIndex((e) => e['name'] === 'FALCONER_REDIS_PASSWORD')).toBeLessThan(
      env.findIndex((e) => e['name'] === 'REDIS_URL'),
    );
    const sts = find(objs, 'StatefulSet', 'rel-falconer-redis');
    const redis = sts['spec']['template']['spec']['containers'][0] as Obj;
    expect(redis['args'][0]).toContain('--requirepass "$REDIS_PASSWORD"');
    expect(redis['env']).toContainEqual({ name: 'REDIS_PASSWORD', valueFrom: fromCreds });
    expect(redis['securityContext']['readOnlyRootFilesystem']).toBe(true);
    expect(sts['spec']['template']['spec']['securityContext']['runAsNonRoot']).toBe(true);
    expect(sts['spec']['volumeClaimTemplates'][0]['spec']['resources']['requests']['storage']).toBe('2Gi');

    // only the router may reach Redis
    const np = find(objs, 'NetworkPolicy', 'rel-falconer-redis');
    expect(np['spec']['ingress']).toEqual([
      {
        from: [{ podSelector: { matchLabels: dep['spec']['selector']['matchLabels'] } }],
        ports: [{ port: 'redis', protocol: 'TCP' }],
      },
    ]);

    const pdb = find(objs, 'PodDisruptionBudget', 'rel-falconer');
    expect(pdb['spec']).toEqual({ maxUnavailable: 1, selector: dep['spec']['selector'] });
    const ing = find(objs, 'Ingress', 'rel-falconer');
    expect(ing['spec']['rules'][0]['http']['paths'][0]['backend']).toEqual({
      service: { name: 'rel-falconer', port: { name: 'http' } },
    });
    const sm = find(objs, 'ServiceMonitor', 'rel-falconer');
    expect(sm['spec']['endpoints']).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
  });

  it('autoscaling renders an HPA and leaves replicas to it', () => {
    const objs = render('--set', 'redis.url=redis://r:6379/0', '--set', 'autoscaling.enabled=true');
    const hpa = find(objs, 'HorizontalPodAutoscaler', 'rel-falconer');
    expect(hpa['spec']).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(find(objs, 'Deployment', 'rel-falconer')['spec']['replicas']).toBeUndefined();
    expect(find(objs, 'Secret', 'rel-falconer-env')['stringData']).toEqual({ REDIS_URL: 'redis://r:6379/0' });
  });

  it('given users and secrets: no generated operator; secrets in the Secret, Redis Cluster in the config', () => {
    const hash = bcrypt.hashSync('pw', 4);
    const objs = render(
      '--set-json',
      `auth.dashboard.users=${JSON.stringify([{ username: 'ann', passwordhash: hash, role: 'viewer' }])}`,
      '--set',
      'secretEnv.SLACK_WEBHOOKURL=https://hooks.slack.com/services/T/B/x',
      '--set',
      'redis.url=redis://a:7000\\,redis://b:7000',
      '--set',
      'redis.cluster=true',
      '--set',
      'redis.spool.maxevents=500',
      '--set-json',
      'config={"customfields":{"env":"prod"},"listenport":9999}',
    );
    const config = routerConfig(objs);
    expect(config['auth']['dashboard']['users']).toEqual([
      { username: 'ann', passwordhash: hash, role: 'viewer' },
    ]);
    expect(config['customfields']).toEqual({ env: 'prod' });
    expect(config['listenport']).toBe(2801); // the chart's keys win: the probes and the Service use 2801
    expect(config['redis']).toEqual({ cluster: true, spool: { maxevents: 500 } });
    expect(find(objs, 'Secret', 'rel-falconer-credentials')['data']).toEqual({});
    expect(find(objs, 'Secret', 'rel-falconer-env')['stringData']).toEqual({
      REDIS_URL: 'redis://a:7000,redis://b:7000',
      SLACK_WEBHOOKURL: 'https://hooks.slack.com/services/T/B/x',
    });
  });

  it('refuses what would split or lose events, and malformed users', () => {
    const cases: [string[], RegExp][] = [
      [['--set', 'replicaCount=2'], /several router replicas need Redis/],
      [['--set', 'autoscaling.enabled=true'], /several router replicas need Redis/],
      [['--set', 'redis.url=redis://r:6379', '--set', 'redis.bundled.enabled=true'], /not both/],
      [['--set', 'redis.bundled.enabled=true', '--set', 'redis.cluster=true'], /external Redis Cluster/],
      [
        ['--set-json', 'auth.dashboard.users=[{"username":"a","passwordhash":"h","role":"root"}]'],
        /viewer or operator/,
      ],
      [['--set-json', 'auth.dashboard.users=[{"username":"a"}]'], /needs username and passwordhash/],
    ];
    for (const [args, message] of cases) {
      const r = helm(['template', 'rel', CHART, ...args]);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
  });

  it('remediator on: the least-privilege RBAC of deploy/remediator, a shared generated signing secret', () => {
    const objs = render('--set', 'remediator.enabled=true');
    const role = find(objs, 'ClusterRole', 'rel-falconer-remediator');
    const kustomizeRole = parseYaml(
      readFileSync(resolve(REPO_ROOT, 'deploy/remediator/clusterrole.yaml'), 'utf8'),
    ) as Obj;
    expect(role['rules']).toEqual(kustomizeRole['rules']);
    const binding = find(objs, 'ClusterRoleBinding', 'rel-falconer-remediator');
    expect(binding['subjects']).toEqual([
      { kind: 'ServiceAccount', name: 'rel-falconer-remediator', namespace: 'sec' },
    ]);

    const secret = secretValue(find(objs, 'Secret', 'rel-falconer-credentials'), 'remediator-secret');
    expect(secret.length).toBeGreaterThanOrEqual(48);
    const env = find(objs, 'Secret', 'rel-falconer-env')['stringData'] as Record<string, string>;
    expect(env).toEqual({
      WEBHOOK_ADDRESS: 'http://rel-falconer-remediator:2803/',
      WEBHOOK_SIGNING_SECRET: secret,
      REMEDIATION_SECRET: secret,
    });
    const dep = find(objs, 'Deployment', 'rel-falconer-remediator');
    const c = dep['spec']['template']['spec']['containers'][0] as Obj;
    expect(c['command']).toEqual(['node', 'dist/apps/remediator/main.js']);
    expect(c['env']).toContainEqual({ name: 'REMEDIATOR_DRYRUN', value: 'true' });
    expect(c['env']).toContainEqual({
      name: 'REMEDIATOR_SECRET',
      valueFrom: { secretKeyRef: { name: 'rel-falconer-credentials', key: 'remediator-secret' } },
    });
    expect(c['securityContext']['readOnlyRootFilesystem']).toBe(true);
    // the router itself holds no cluster credentials
    expect(
      find(objs, 'Deployment', 'rel-falconer')['spec']['template']['spec']['automountServiceAccountToken'],
    ).toBe(false);
  });
});
