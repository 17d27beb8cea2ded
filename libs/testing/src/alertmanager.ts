import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './services';

/** Debian's `prometheus-alertmanager`. */
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

/** One alert as `GET /api/v2/alerts` lists it. */
export interface ListedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

/** A throw-away real Alertmanager on loopback: no cluster listener, storage in a temp folder. */
export interface RealAlertmanager {
  url: string;
  alerts(): Promise<ListedAlert[]>;
  /** Stops the process (the port stays reserved for `start`). */
  pause(): Promise<void>;
  /** Starts it again on the same port and storage. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export function hasAlertmanager(): boolean {
  return spawnSync(ALERTMANAGER_BIN, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts Alertmanager with a webhook receiver (`webhookUrl`, never required to answer) and waits for
 * `/-/ready`. Undefined when it is not installed or does not come up.
 */
export async function startAlertmanager(
  webhookUrl = 'http://127.0.0.1:9/',
  timeoutMs = 20_000,
): Promise<RealAlertmanager | undefined> {
  if (!hasAlertmanager()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'falconer-alertmanager-'));
  const port = await freePort();
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(
    file,
    `route:
  receiver: falconer-test
  group_by: ['...']
  group_wait: 1h
receivers:
  - name: falconer-test
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: false
`,
  );
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';
  const launch = async (): Promise<boolean> => {
    const c = spawn(
      ALERTMANAGER_BIN,
      [
        `--config.file=${file}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = c;
    c.stderr?.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-4000);
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await fetch(`${url}/-/ready`);
        if (res.status === 200) return true;
      } catch {
        // not listening yet
      }
      if (c.exitCode !== null || Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const pause = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const stop = async (): Promise<void> => {
    await pause();
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await launch())) {
    console.warn(`alertmanager did not start: ${log}`);
    await stop();
    return undefined;
  }
  return {
    url,
    alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as ListedAlert[],
    pause,
    resume: async () => {
      if (!(await launch())) throw new Error(`alertmanager did not restart: ${log}`);
    },
    stop,
  };
}
