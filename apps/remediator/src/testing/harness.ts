import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Receiver } from '@falconer/testing';
import { createRemediatorApp } from '../app';
import { loadRemediatorConfig, type RemediatorConfig } from '../config/remediator.config';
import { signBody } from '@falconer/util';
import { FakeKubeApi } from './fake-kube-api';

export interface Harness {
  app: NestFastifyApplication;
  config: RemediatorConfig;
  url: string;
  kube: FakeKubeApi;
  /** Stands in for the Falconer router: receives the decision reports. */
  router: Receiver;
  /** POSTs a body to `/`, signed with the configured secret unless `headers` says otherwise. */
  post(body: string | Buffer, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  rules: string;
  /** Environment on top of: real Kubernetes client → fake API, dry-run off, reports → `router`. */
  env?: Record<string, string>;
  kube?: FakeKubeApi;
}

export function writeTemp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-remediator-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Boots the real remediator (Nest + Fastify + @kubernetes/client-node) against a fake API server on 127.0.0.1. */
export async function startRemediator(options: HarnessOptions): Promise<Harness> {
  const kube = options.kube ?? (await FakeKubeApi.start());
  const router = await Receiver.start(() => ({ status: 201, body: '{}' }));
  const config = loadRemediatorConfig({
    REMEDIATOR_RULES: writeTemp('rules.yaml', options.rules),
    REMEDIATOR_DRYRUN: 'false',
    REMEDIATOR_PORT: '0',
    REMEDIATOR_LISTENADDRESS: '127.0.0.1',
    REMEDIATOR_ROUTER_URL: router.url,
    REMEDIATOR_LOG_LEVEL: 'silent',
    KUBECONFIG: kube.writeKubeconfig(),
    ...options.env,
  });
  const app = await createRemediatorApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    config,
    url,
    kube,
    router,
    post: (body, headers) => {
      const h: Record<string, string> = { 'content-type': 'application/json' };
      if (config.secret !== '') h['x-falconer-signature'] = signBody(config.secret, body);
      return fetch(`${url}/`, { method: 'POST', headers: { ...h, ...headers }, body });
    },
    close: async () => {
      await app.close();
      await router.close();
      await kube.close();
    },
  };
}

export interface ShellEventOptions {
  uuid?: string;
  priority?: string;
  rule?: string;
  outputFields?: Record<string, unknown>;
}

/** A Falco "Terminal shell in container" event for one pod (the shared fixture's shape). */
export function shellEvent(
  namespace: string | null,
  pod: string | null,
  extra: ShellEventOptions = {},
): Record<string, unknown> {
  return {
    uuid: extra.uuid ?? crypto.randomUUID(),
    hostname: 'worker-1',
    output: `Notice A shell was spawned in a container with an attached terminal k8s_pod_name=${pod ?? '<NA>'} k8s_ns_name=${namespace ?? '<NA>'}`,
    output_fields: {
      'container.id': '4f1c2a9b7d3e',
      'container.name': 'web',
      'evt.type': 'execve',
      'k8s.ns.name': namespace,
      'k8s.pod.name': pod,
      'proc.cmdline': 'bash',
      'user.name': 'root',
      ...extra.outputFields,
    },
    priority: extra.priority ?? 'Notice',
    rule: extra.rule ?? 'Terminal shell in container',
    source: 'syscall',
    tags: ['T1059', 'container', 'mitre_execution', 'shell'],
    time: '2026-11-20T10:15:02.482910331Z',
  };
}
