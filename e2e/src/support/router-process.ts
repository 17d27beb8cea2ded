import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Receiver } from '@falconer/testing';
import { captureOutput, waitHealthy } from './process';

/** The repository root (the built router runs with it as cwd and serves dist/apps/dashboard from there). */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const ROUTER_MAIN = resolve(REPO_ROOT, 'dist/apps/router/main.js');
export const DASHBOARD_INDEX = resolve(REPO_ROOT, 'dist/apps/dashboard/index.html');

/** A free TCP port on 127.0.0.1 (the OS picks it; released before the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface RouterProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed (pino JSON lines), for failure messages. */
  output(): string;
  /** POSTs a Falco event body to the ingest endpoint; resolves with the HTTP status. */
  post(body: string): Promise<number>;
  stop(): Promise<void>;
}

/** Fails loudly when the build is missing: e2e tests run against the built system (`npm run build`). */
export function assertBuilt(...files: string[]): void {
  for (const f of [ROUTER_MAIN, ...files]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
}

/**
 * Starts the built router (`node dist/apps/router/main.js`) on a free port with the given environment
 * (falcosidekick-style variables such as WEBHOOK_ADDRESS) and waits until it answers /healthz.
 */
export async function startRouter(
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<RouterProcess> {
  assertBuilt();
  const port = await freePort();
  const child = spawn(process.execPath, [ROUTER_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', LISTENADDRESS: '127.0.0.1', LISTENPORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy('router', child, url, output, timeoutMs);
  return {
    url,
    port,
    child,
    output,
    async post(body: string) {
      const res = await fetch(`${url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * For a test file: a built router whose webhook output posts to a local receiver, started before the
 * file's tests and stopped after them. Read `router` and `receiver` inside the tests.
 */
export function routerWithReceiver(): { readonly router: RouterProcess; readonly receiver: Receiver } {
  let router: RouterProcess | undefined;
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    receiver = await Receiver.start();
    router = await startRouter({ WEBHOOK_ADDRESS: `${receiver.url}/falco` });
  });
  afterAll(async () => {
    await router?.stop();
    await receiver?.close();
  });
  return {
    get router() {
      if (router === undefined) throw new Error('router not started');
      return router;
    },
    get receiver() {
      if (receiver === undefined) throw new Error('receiver not started');
      return receiver;
    },
  };
}
