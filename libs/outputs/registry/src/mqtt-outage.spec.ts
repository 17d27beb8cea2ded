import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDispatcher } from '@falconer/delivery';
import { outageBurst, uuidsIn } from '@falconer/outputs-testing';
import { ServerProcess, serviceAvailable } from '@falconer/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDeliveredThroughOutage, outputFrom, privateServer } from './testing/outage-setup';

const hasBinary = await serviceAvailable('mosquitto binary', () =>
  ServerProcess.installed('/usr/sbin/mosquitto'),
);

// The test's own Mosquitto (the shared one on 1883 keeps running). The reader has a persistent QoS 1
// session and Mosquitto persists sessions to a temp dir, so nothing published while the reader is
// reconnecting is lost to it. QoS 1: MQTT's at-least-once (QoS 0 is fire-and-forget by design).
describe.skipIf(!hasBinary)('Mosquitto stopped for 10 s during a 500-event burst', () => {
  const mosquitto = privateServer('/usr/sbin/mosquitto', 'mqtt', (port, dir) => {
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\n`,
    );
    return ['-c', conf];
  });
  let reader: MqttClient;
  const got: Buffer[] = [];
  beforeAll(async () => {
    reader = await connectAsync(`mqtt://127.0.0.1:${mosquitto.port}`, {
      clientId: 'falconer-outage-reader',
      clean: false,
      reconnectPeriod: 200,
    });
    reader.on('message', (_t, p) => got.push(p));
    await reader.subscribeAsync('falco/events', { qos: 1 });
  });
  afterAll(async () => {
    await reader.endAsync(true);
  });

  it('all 500 delivered, none dead-lettered, one connection before the outage and one after', async () => {
    const output = outputFrom({
      yaml: `mqtt:\n  broker: tcp://127.0.0.1:${mosquitto.port}\n  qos: 1\n  reconnectperiod: 500ms\n`,
    });
    const report = await outageBurst({
      createDispatcher,
      output,
      stop: () => mosquitto.server.stop(),
      start: () => mosquitto.server.start(),
      received: async () => {
        // the reader reconnects by itself and its persistent session then hands over what was published
        // meanwhile: done once all 500 are in, or nothing new came for 5 s while it was connected (however
        // slow the machine, a reader still reconnecting is never taken for a drained one)
        const end = Date.now() + 60_000;
        let last = -1;
        let quietSince = Date.now();
        while (Date.now() < end && new Set(uuidsIn(got)).size < 500) {
          if (got.length !== last || !reader.connected) {
            last = got.length;
            quietSince = Date.now();
          } else if (Date.now() - quietSince >= 5_000) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        return uuidsIn(got);
      },
    });
    expectDeliveredThroughOutage('MQTT', report);
    expect(report.health).toMatchObject({ state: 'connected', connects: 2, disconnects: 1 });
  }, 90_000);
});
