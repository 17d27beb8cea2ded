import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '@falconer/delivery';
import { outageBurst, uuidsIn } from '@falconer/outputs-testing';
import { freePort, ServerProcess, serviceAvailable } from '@falconer/testing';
import { connect, StorageType } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasBinary = await serviceAvailable('nats-server binary', () =>
  ServerProcess.installed('/usr/sbin/nats-server'),
);

// The test's own nats-server (not the shared one on 4222) so it can be stopped; JetStream with its
// files in a temp dir keeps what the server received across the restart, for reading back.
describe.skipIf(!hasBinary)('NATS server stopped for 10 s during a 500-event burst', () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falconer-nats-'));
    const port = await freePort();
    server = new ServerProcess(
      '/usr/sbin/nats-server',
      ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir],
      port,
    );
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('all 500 delivered, none dead-lettered, one connection before the outage and one after', async () => {
    const url = `nats://127.0.0.1:${server.port}`;
    const admin = await connect({ servers: url });
    await (
      await admin.jetstreamManager()
    ).streams.add({ name: 'FALCO', subjects: ['falco.>'], storage: StorageType.File });
    await admin.close();
    const { config } = loadRouterConfig({ env: { NATS_HOSTPORT: url } });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const output = instances[0]!.output;
    const report = await outageBurst({
      createDispatcher,
      output,
      stop: () => server.stop(),
      start: () => server.start(),
      received: async () => {
        const nc = await connect({ servers: url });
        const jsm = await nc.jetstreamManager();
        const n = (await jsm.streams.info('FALCO')).state.messages;
        const bodies: Buffer[] = [];
        for (let seq = 1; seq <= n; seq++)
          bodies.push(Buffer.from((await jsm.streams.getMessage('FALCO', { seq })).data));
        await nc.close();
        return uuidsIn(bodies);
      },
    });
    console.log('NATS outage:', JSON.stringify({ ...report, missing: report.missing.length }));
    expect(report.missing).toEqual([]);
    expect(report).toMatchObject({ enqueued: 500, unique: 500, deadLettered: 0 });
    expect(report.outageMs).toBeGreaterThanOrEqual(10_000);
    // one connection for the first part of the burst, one after the restart: not one per event
    expect(report.health).toMatchObject({ state: 'connected', connects: 2, disconnects: 1 });
  }, 90_000);
});
