import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, freePort, REPO_ROOT, ROUTER_MAIN } from './router-process';
import { captureOutput, waitHealthy } from './process';

export interface LaunchOptions {
  /** Environment of the process (falcosidekick-style names: REDIS_URL, WEBHOOK_ADDRESS…). */
  env?: Record<string, string>;
  /** YAML written to a temp file and passed with `--config`. */
  configYaml?: string;
  /** A fixed port (restart on the same port = same delivery consumer name); a free one when absent. */
  port?: number;
  timeoutMs?: number;
}

export interface ManagedRouter {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far (pino JSON lines). */
  output(): string;
  /** POSTs one Falco event body to `/`; resolves with the status, or 0 when nothing answered. */
  post(body: string): Promise<number>;
  /** GET/POST JSON on the API. */
  api<T = unknown>(
    path: string,
    init?: { method?: 'GET' | 'POST'; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  /** Sends a signal and resolves once the process has exited (SIGKILL: no goodbye, nothing flushed). */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Writes a config file for `--config` in a fresh temp folder; returns its path. */
export function writeConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-e2e-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  return file;
}

/**
 * Starts the built router (`node dist/apps/router/main.js [--config FILE]`) and waits for /healthz.
 * Unlike `startRouter`, it takes a config file and a fixed port, and can kill with any signal.
 */
export async function launchRouter(opts: LaunchOptions = {}): Promise<ManagedRouter> {
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
      UI_ENABLED: 'false',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  await waitHealthy('router', child, url, output, timeoutMs);
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
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
