import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '@falconer/delivery';
import { outageBurst, uuidsIn } from '@falconer/outputs-testing';
import { freePort, ServerProcess, serviceAvailable } from '@falconer/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasBinary = await serviceAvailable('mosquitto binary', () =>
  ServerProcess.installed('/usr/sbin/mosquitto'),
);

// The test's own Mosquitto (the shared one on 1883 keeps running). The reader has a persistent QoS 1
// session and Mosquitto persists sessions to a temp dir, so nothing published while the reader is
// reconnecting is lost to it. QoS 1: MQTT's at-least-once (QoS 0 is fire-and-forget by design).
describe.skipIf(!hasBinary)('Mosquitto stopped for 10 s during a 500-event burst', () => {
  let dir: string;
  let server: ServerProcess;
  let reader: MqttClient;
  const got: Buffer[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falconer-mqtt-'));
    const port = await freePort();
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\n`,
    );
    server = new ServerProcess('/usr/sbin/mosquitto', ['-c', conf], port);
    await server.start();
    reader = await connectAsync(`mqtt://127.0.0.1:${port}`, {
      clientId: 'falconer-outage-reader',
      clean: false,
      reconnectPeriod: 200,
    });
    reader.on('message', (_t, p) => got.push(p));
    await reader.subscribeAsync('falco/events', { qos: 1 });
  });
  afterAll(async () => {
    await reader.endAsync(true);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('all 500 delivered, none dead-lettered, one connection before the outage and one after', async () => {
    const { config } = loadRouterConfig({
      env: {},
      yaml: `mqtt:\n  broker: tcp://127.0.0.1:${server.port}\n  qos: 1\n  reconnectperiod: 500ms\n`,
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const report = await outageBurst({
      createDispatcher,
      output: instances[0]!.output,
      stop: () => server.stop(),
      start: () => server.start(),
      received: async () => {
        // the reader is back and drained once the count stops growing
        let last = -1;
        while (got.length !== last) {
          last = got.length;
          await new Promise((r) => setTimeout(r, 1_000));
        }
        return uuidsIn(got);
      },
    });
    console.log('MQTT outage:', JSON.stringify({ ...report, missing: report.missing.length }));
    expect(report.missing).toEqual([]);
    expect(report).toMatchObject({ enqueued: 500, unique: 500, deadLettered: 0 });
    expect(report.outageMs).toBeGreaterThanOrEqual(10_000);
    expect(report.health).toMatchObject({ state: 'connected', connects: 2, disconnects: 1 });
  }, 90_000);
});
