import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '@falconer/delivery';
import { outageBurst, uuidsIn } from '@falconer/outputs-testing';
import { freePort, ServerProcess, serviceAvailable } from '@falconer/testing';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasBinary = await serviceAvailable('redis-server binary', () =>
  ServerProcess.installed('/usr/bin/redis-server'),
);

// The test's own redis-server (the shared one on 6379 must keep running), with an append-only file
// in a temp dir so what it stored survives the restart.
describe.skipIf(!hasBinary)('Redis stopped for 10 s during a 500-event burst', () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falconer-redis-'));
    const port = await freePort();
    server = new ServerProcess(
      '/usr/bin/redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      port,
    );
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('all 500 delivered, none dead-lettered, one connection before the outage and one after', async () => {
    const { config } = loadRouterConfig({
      env: {},
      yaml: `redis:\n  address: 127.0.0.1:${server.port}\n  key: burst\n`,
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const output = instances[0]!.output;
    let clientsBefore = 0;
    const report = await outageBurst({
      createDispatcher,
      output,
      stop: async () => {
        const r = createClient({ url: `redis://127.0.0.1:${server.port}` });
        await r.connect();
        clientsBefore = (await r.clientList()).filter((c) => c.name === 'falconer-redis').length;
        await r.close();
        await server.stop();
      },
      start: () => server.start(),
      received: async () => {
        const r = createClient({ url: `redis://127.0.0.1:${server.port}` });
        await r.connect();
        const all = await r.lRange('burst', 0, -1);
        await r.close();
        return uuidsIn(all);
      },
    });
    console.log('Redis outage:', JSON.stringify({ ...report, missing: report.missing.length }));
    expect(report.missing).toEqual([]);
    expect(report).toMatchObject({ enqueued: 500, unique: 500, deadLettered: 0 });
    expect(report.outageMs).toBeGreaterThanOrEqual(10_000);
    expect(clientsBefore).toBe(1);
    expect(report.health).toMatchObject({ state: 'connected', connects: 2, disconnects: 1 });
  }, 90_000);
});
