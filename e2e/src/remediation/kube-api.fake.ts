import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Kubernetes API as the built remediator sees it in this end-to-end test: a Deployment → ReplicaSet →
 * Pod chain, GET and DELETE of pods, GET of the owners, real `Status` bodies for 404. No API server can run
 * on the development machines; apps/remediator's own tests use a fuller fake (403, 409, PATCH, POST).
 */
export interface KubeCall {
  method: string;
  path: string;
  query: string;
}

export class KubeApiFake {
  readonly calls: KubeCall[] = [];
  private readonly objects = new Map<string, Record<string, unknown>>();
  private waiters: { pred: (c: KubeCall) => boolean; resolve: () => void }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<KubeApiFake> {
    const server = createServer();
    const fake = new KubeApiFake(server);
    server.on('request', (req, res) => {
      req.resume();
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const call = { method: req.method ?? '', path: url.pathname, query: url.search };
        fake.calls.push(call);
        const obj = fake.objects.get(url.pathname);
        let status = 200;
        let body: unknown = obj;
        if (obj === undefined || (call.method !== 'GET' && call.method !== 'DELETE')) {
          const name = url.pathname.split('/').pop() ?? '';
          status = obj === undefined ? 404 : 405;
          body = {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: `pods "${name}" not found`,
            reason: 'NotFound',
            code: status,
          };
        } else if (call.method === 'DELETE') {
          fake.objects.delete(url.pathname);
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
        const ready = fake.waiters.filter((w) => w.pred(call));
        fake.waiters = fake.waiters.filter((w) => !w.pred(call));
        for (const w of ready) w.resolve();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A pod of Deployment `deployment` (through its ReplicaSet), all replicas ready. */
  addDeploymentPod(ns: string, deployment: string, pod: string, replicas: number): void {
    const rs = `${deployment}-7d9f8b6c5d`;
    const owner = (kind: string, name: string): unknown[] => [
      { apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true },
    ];
    this.objects.set(`/apis/apps/v1/namespaces/${ns}/deployments/${deployment}`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: deployment, namespace: ns },
      spec: { replicas, selector: { matchLabels: { app: deployment } } },
      status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
    });
    this.objects.set(`/apis/apps/v1/namespaces/${ns}/replicasets/${rs}`, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: rs, namespace: ns, ownerReferences: owner('Deployment', deployment) },
      spec: { replicas, selector: { matchLabels: { app: deployment } } },
      status: { replicas, readyReplicas: replicas },
    });
    this.objects.set(`/api/v1/namespaces/${ns}/pods/${pod}`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod,
        namespace: ns,
        labels: { app: deployment },
        ownerReferences: owner('ReplicaSet', rs),
      },
      spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      status: { phase: 'Running' },
    });
  }

  has(path: string): boolean {
    return this.objects.has(path);
  }

  /** Resolves when a call matching `pred` has arrived (or already had). */
  waitForCall(pred: (c: KubeCall) => boolean, timeoutMs: number): Promise<void> {
    if (this.calls.some(pred)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no such Kubernetes call within ${timeoutMs} ms; calls: ${JSON.stringify(this.calls)}`),
          ),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  writeKubeconfig(): string {
    const file = join(mkdtempSync(join(tmpdir(), 'falconer-e2e-kube-')), 'kubeconfig');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: { server: "${this.url}", insecure-skip-tls-verify: true }
users:
- name: remediator
  user: { token: e2e-token }
contexts:
- name: fake
  context: { cluster: fake, user: remediator }
current-context: fake
`,
    );
    return file;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
