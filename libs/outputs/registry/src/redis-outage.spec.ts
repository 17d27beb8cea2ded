import { createDispatcher } from '@falconer/delivery';
import { outageBurst, uuidsIn } from '@falconer/outputs-testing';
import { ServerProcess, serviceAvailable } from '@falconer/testing';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { expectDeliveredThroughOutage, outputFrom, privateServer } from './testing/outage-setup';

const hasBinary = await serviceAvailable('redis-server binary', () =>
  ServerProcess.installed('/usr/bin/redis-server'),
);

// The test's own redis-server (the shared one on 6379 must keep running), with an append-only file
// in a temp dir so what it stored survives the restart.
describe.skipIf(!hasBinary)('Redis stopped for 10 s during a 500-event burst', () => {
  const redis = privateServer('/usr/bin/redis-server', 'redis', (port, dir) => [
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
  ]);

  it('all 500 delivered, none dead-lettered, one connection before the outage and one after', async () => {
    const output = outputFrom({ yaml: `redis:\n  address: 127.0.0.1:${redis.port}\n  key: burst\n` });
    let clientsBefore = 0;
    const report = await outageBurst({
      createDispatcher,
      output,
      stop: async () => {
        const r = createClient({ url: `redis://127.0.0.1:${redis.port}` });
        await r.connect();
        clientsBefore = (await r.clientList()).filter((c) => c.name === 'falconer-redis').length;
        await r.close();
        await redis.server.stop();
      },
      start: () => redis.server.start(),
      received: async () => {
        const r = createClient({ url: `redis://127.0.0.1:${redis.port}` });
        await r.connect();
        const all = await r.lRange('burst', 0, -1);
        await r.close();
        return uuidsIn(all);
      },
    });
    expectDeliveredThroughOutage('Redis', report);
    expect(clientsBefore).toBe(1);
    expect(report.health).toMatchObject({ state: 'connected', connects: 2, disconnects: 1 });
  }, 90_000);
});
