import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

export interface LaunchOptions {
  /** Environment of the process (falcosidekick-style names: WEBHOOK_ADDRESS, REDIS_URL…). */
  env?: Record<string, string>;
  /** YAML written to a temp file and passed with `--config`. */
  configYaml?: string;
  /** A fixed port (restart on the same port = same delivery consumer name); a free one when absent. */
  port?: number;
  /** The dashboard is served unless this is false (API-only specs skip it). */
  ui?: boolean;
  timeoutMs?: number;
}

export interface RouterProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed (pino JSON lines), for failure messages. */
  output(): string;
  /** POSTs a Falco event body to the ingest endpoint; resolves with the HTTP status, 0 when nothing answered. */
  post(body: string): Promise<number>;
  /** GET/POST JSON on the API. */
  api<T = unknown>(
    path: string,
    init?: { method?: 'GET' | 'POST'; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  /** Sends a signal and resolves once the process has exited (SIGKILL: no goodbye, nothing flushed). */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Fails loudly when the build is missing: e2e tests run against the built system (`npm run build`). */
export function assertBuilt(...files: string[]): void {
  for (const f of [ROUTER_MAIN, ...files]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
}

/** Writes a config file for `--config` in a fresh temp folder; returns its path. */
export function writeConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-e2e-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  return file;
}

/**
 * The one way an e2e spec starts a router: the built one (`node dist/apps/router/main.js [--config FILE]`)
 * on a free (or the given) port, configured by environment and YAML like a user would, once it answers
 * /healthz. (Unit and API specs start it in-process: `startRouter` in apps/router/src/testing.)
 */
export async function launchRouter(opts: LaunchOptions = {}): Promise<RouterProcess> {
  assertBuilt();
  const port = opts.port ?? (await freePort());
  const args = [ROUTER_MAIN];
  if (opts.configYaml !== undefined) args.push('--config', writeConfig(opts.configYaml));
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      LISTENADDRESS: '127.0.0.1',
      LISTENPORT: String(port),
      ...(opts.ui === false ? { UI_ENABLED: 'false' } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy('router', child, url, output, opts.timeoutMs ?? 20_000);
  const kill = async (
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url,
    port,
    child,
    output,
    async post(body: string) {
      try {
        const res = await fetch(`${url}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        return res.status;
      } catch {
        return 0;
      }
    },
    async api<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}) {
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        ...(init.body !== undefined
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
          : {}),
      });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
    },
    kill,
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await kill('SIGTERM');
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
    router = await launchRouter({ env: { WEBHOOK_ADDRESS: `${receiver.url}/falco` } });
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
