import { createOutput } from '@falconer/outputs-core';
import { SAMPLE_EVENT_JSON, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { canConnect, freePort, serviceAvailable } from '@falconer/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mqttOutput } from './mqtt.descriptor';

const signal = (): AbortSignal => new AbortController().signal;
const hasMosquitto = await serviceAvailable('Mosquitto on 127.0.0.1:1883', () => canConnect(1883));

function mqtt(settings: Record<string, unknown>) {
  return createOutput(mqttOutput, { name: 'mqtt', type: 'mqtt', path: 'mqtt', settings }, {});
}

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('MQTT settings', () => {
  it('reports a bad broker and qos', () => {
    expect(mqtt({ broker: 'http://x:1', qos: 3 }).errors).toEqual([
      'mqtt.qos: expected a number from 0 to 2, got 3',
      'mqtt.broker: expected tcp://host:port, ssl://host:port, mqtt(s)://host:port or ws(s)://host:port/path',
    ]);
  });
});

describe.skipIf(!hasMosquitto)('MQTT on Mosquitto 127.0.0.1:1883 (outputs/mqtt.go)', () => {
  let sub: MqttClient;
  const topic = `falconer-test/${process.pid}/${Date.now()}`;
  const got: { topic: string; payload: string; retain: boolean }[] = [];
  beforeAll(async () => {
    sub = await connectAsync('mqtt://127.0.0.1:1883');
    sub.on('message', (t, p, packet) => got.push({ topic: t, payload: p.toString(), retain: packet.retain }));
    await sub.subscribeAsync(`${topic}/#`, { qos: 1 });
  });
  afterAll(async () => {
    await sub.endAsync();
  });

  it("publishes falcosidekick's exact JSON, QoS 0 and 1, on one connection", async () => {
    const { output, errors } = mqtt({ broker: 'tcp://127.0.0.1:1883', topic: `${topic}/a` });
    expect(errors).toEqual([]);
    expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
    await until(() => got.length === 1);
    expect(got[0]).toEqual({ topic: `${topic}/a`, payload: SAMPLE_EVENT_JSON, retain: false });
    await output.close?.();

    const q1 = mqtt({ broker: '127.0.0.1:1883', topic: `${topic}/b`, qos: 1 }).output;
    for (let i = 0; i < 10; i++)
      expect(await q1.send([sampleEvent(), secondEvent()], signal())).toEqual({ ok: true });
    await until(() => got.length === 21);
    expect(q1.health?.()).toMatchObject({ state: 'connected', connects: 1, disconnects: 0 });
    await q1.close?.();
  });

  it('retained: a subscriber that comes later gets the last event', async () => {
    const { output } = mqtt({ broker: 'tcp://127.0.0.1:1883', topic: `${topic}-r`, retained: true, qos: 1 });
    expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
    await output.close?.();
    const late = await connectAsync('mqtt://127.0.0.1:1883');
    const seen: { payload: string; retain: boolean }[] = [];
    late.on('message', (_t, p, packet) => seen.push({ payload: p.toString(), retain: packet.retain }));
    await late.subscribeAsync(`${topic}-r`);
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual({ payload: SAMPLE_EVENT_JSON, retain: true });
    await late.publishAsync(`${topic}-r`, '', { retain: true });
    await late.endAsync();
  });

  it('nothing listening: a retryable network failure', async () => {
    const { output } = mqtt({
      broker: `tcp://127.0.0.1:${await freePort()}`,
      password: 'pw-secret-1',
      user: 'u',
    });
    const r = await output.send([sampleEvent()], signal());
    expect(r).toMatchObject({ ok: false, retryable: true, reason: 'network' });
    expect(JSON.stringify(r)).not.toContain('pw-secret-1');
    await output.close?.();
  });
});
