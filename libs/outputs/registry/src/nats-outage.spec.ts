import { createDispatcher } from '@falconer/delivery';
import { outageBurst, uuidsIn } from '@falconer/outputs-testing';
import { ServerProcess, serviceAvailable } from '@falconer/testing';
import { connect, StorageType } from 'nats';
import { describe, expect, it } from 'vitest';
import { expectDeliveredThroughOutage, outputFrom, privateServer } from './testing/outage-setup';

const hasBinary = await serviceAvailable('nats-server binary', () =>
  ServerProcess.installed('/usr/sbin/nats-server'),
);

// The test's own nats-server (not the shared one on 4222) so it can be stopped; JetStream with its
// files in a temp dir keeps what the server received across the restart, for reading back.
describe.skipIf(!hasBinary)('NATS server stopped for 10 s during a 500-event burst', () => {
  const nats = privateServer('/usr/sbin/nats-server', 'nats', (port, dir) => [
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    '-js',
    '-sd',
    dir,
  ]);

  it('all 500 delivered, none dead-lettered, one connection before the outage and one after', async () => {
    const url = `nats://127.0.0.1:${nats.port}`;
    const admin = await connect({ servers: url });
    await (
      await admin.jetstreamManager()
    ).streams.add({ name: 'FALCO', subjects: ['falco.>'], storage: StorageType.File });
    await admin.close();
    const output = outputFrom({ env: { NATS_HOSTPORT: url } });
    const report = await outageBurst({
      createDispatcher,
      output,
      stop: () => nats.server.stop(),
      start: () => nats.server.start(),
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
    expectDeliveredThroughOutage('NATS', report);
    // one connection for the first part of the burst, one after the restart: not one per event
    expect(report.health).toMatchObject({ state: 'connected', connects: 2, disconnects: 1 });
  }, 90_000);
});
