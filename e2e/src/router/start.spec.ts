import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureNames } from '@falconer/testing';
import { captureOutput, waitHealthy } from '../support/process';
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
    const output = captureOutput(child);
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    await waitHealthy('npm start', child, url, output, 60_000);
    console.log(`npm start: /healthz answered after ${Date.now() - started} ms`);

    for (const name of fixtureNames()) {
      const res = await fetch(`${url}/`, { method: 'POST', body: fixture(name) });
      expect(res.status, name).toBe(200);
    }
    const ui = await fetch(`${url}/ui`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<div id="root"');
    expect(output()).toContain('"store":"memory"');

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('shutting down');
  });
});
