import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureNames } from '@falconer/testing';
import { assertBuilt, freePort, REPO_ROOT } from '../support/router-process';

/**
 * The README's first command: `npm start` (tools/start.mjs) brings up the router with the dashboard and the
 * in-memory store, no Redis, and stops cleanly on SIGTERM.
 */
describe('npm start', () => {
  it('serves /healthz, ingest and /ui within 60 s without Redis, and exits 0 on SIGTERM', async () => {
    assertBuilt();
    const port = await freePort();
    const child = spawn(process.execPath, ['tools/start.mjs', 'router'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', LISTENPORT: String(port), LISTENADDRESS: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    let healthy = false;
    while (Date.now() - started < 60_000 && child.exitCode === null) {
      try {
        healthy = (await fetch(`${url}/healthz`)).ok;
        if (healthy) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(healthy, out).toBe(true);
    console.log(`npm start: /healthz answered after ${Date.now() - started} ms`);

    for (const name of fixtureNames()) {
      const res = await fetch(`${url}/`, { method: 'POST', body: fixture(name) });
      expect(res.status, name).toBe(200);
    }
    const ui = await fetch(`${url}/ui`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<div id="root"');
    expect(out).toContain('"store":"memory"');

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('shutting down');
  });
});
