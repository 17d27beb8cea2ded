import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('reports a bad output setting, a bad filter and a bad template together, in the log, and exits 1', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'falconer-badconfig-'));
    const file = join(dir, 'falconer.yaml');
    writeFileSync(
      file,
      [
        'templatedfields:',
        '  Owner: \'{{ index .OutputFields "k8s.ns.name" \'',
        'slack:',
        '  webhookurl: not-a-url',
        'outputs:',
        '  - name: soc',
        '    type: webhook',
        '    address: http://127.0.0.1:9/hook',
        '    filter: { minimumpriority: loud }',
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['dist/apps/router/main.js', '--config', file], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', LISTENPORT: '0', LISTENADDRESS: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = captureOutput(child);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    const log = output();
    expect(log).toContain('slack.webhookurl: not a URL');
    expect(log).toContain('outputs[0].filter.minimumpriority: unknown priority');
    expect(log).toContain('templatedfields.Owner:');
    // one fatal line lists them all
    const fatal = log.split('\n').filter((l) => l.includes('"level":60'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toContain('slack.webhookurl');
    expect(fatal[0]).toContain('templatedfields.Owner');
  });
});
