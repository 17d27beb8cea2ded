import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../support/router-process';
import { captureOutput, waitHealthy } from '../support/process';

export const REMEDIATOR_MAIN = resolve(REPO_ROOT, 'dist/apps/remediator/main.js');

export interface RemediatorProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Runs the built remediator with exactly the given environment; resolves with its exit code and output. */
export function runRemediatorToExit(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; output: string }> {
  if (!existsSync(REMEDIATOR_MAIN))
    throw new Error(`${REMEDIATOR_MAIN} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [REMEDIATOR_MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  return new Promise((ok) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      ok({ code, output: output() });
    });
  });
}

/** Starts `node dist/apps/remediator/main.js` on the given port and waits for /healthz. */
export async function startRemediator(
  port: number,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RemediatorProcess> {
  if (!existsSync(REMEDIATOR_MAIN))
    throw new Error(`${REMEDIATOR_MAIN} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [REMEDIATOR_MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      REMEDIATOR_LISTENADDRESS: '127.0.0.1',
      REMEDIATOR_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy('remediator', child, url, output, timeoutMs);
  return {
    url,
    child,
    output,
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
