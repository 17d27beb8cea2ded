import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away InfluxDB 1.x server (Debian `influxdb`), loopback only, data in a temp folder. */
export interface Influxd {
  url: string;
  /** Runs InfluxQL through the HTTP API and returns the parsed JSON. */
  query(q: string, db?: string): Promise<InfluxQueryResult>;
  stop(): Promise<void>;
}

export interface InfluxQueryResult {
  results: {
    statement_id: number;
    series?: { name: string; columns: string[]; values: unknown[][] }[];
    error?: string;
  }[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** True when the influxd binary is installed. */
export function hasInfluxd(): boolean {
  return spawnSync('influxd', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts `influxd -config <tmp>/influxdb.conf` on free loopback ports and waits for `/ping`.
 * Resolves undefined when influxd is not installed or does not come up within the timeout.
 */
export async function startInfluxd(timeoutMs = 20_000): Promise<Influxd | undefined> {
  if (!hasInfluxd()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'falconer-influxd-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  const conf = `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${join(dir, 'meta')}"
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
[ifql]
  enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
`;
  const file = join(dir, 'influxdb.conf');
  writeFileSync(file, conf);
  const child: ChildProcess = spawn('influxd', ['-config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/ping`);
      if (res.status === 204) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      console.warn(`influxd did not start: ${log}`);
      await stop();
      return undefined;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const query = async (q: string, db?: string): Promise<InfluxQueryResult> => {
    const params = new URLSearchParams({ q, epoch: 'ns' });
    if (db !== undefined) params.set('db', db);
    const res = await fetch(`${url}/query`, { method: 'POST', body: params });
    return (await res.json()) as InfluxQueryResult;
  };
  return { url, query, stop };
}
