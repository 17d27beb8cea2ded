import { SAMPLE_EVENT_JSON, sampleEvent } from '@falconer/outputs-testing';
import { canConnect, serviceAvailable } from '@falconer/testing';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasMosquitto = await serviceAvailable('Mosquitto on 127.0.0.1:1883', () => canConnect(1883));

async function deliver(source: { yaml: string } | { env: Record<string, string> }, topic: string) {
  const { config } = loadRouterConfig({ env: {}, ...source });
  const { instances, errors } = buildOutputs(config.outputs);
  expect(errors).toEqual([]);
  const sub = await connectAsync('mqtt://127.0.0.1:1883');
  const got: string[] = [];
  sub.on('message', (_t, p) => got.push(p.toString()));
  await sub.subscribeAsync(topic, { qos: 1 });
  for (const i of instances) {
    expect(await i.output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    await i.output.close?.();
  }
  const end = Date.now() + 5_000;
  while (got.length < instances.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await sub.endAsync();
  return { got, instances };
}

describe.skipIf(!hasMosquitto)('MQTT configured like falcosidekick', () => {
  it('from the mqtt: section of a YAML file', async () => {
    const topic = `falconer-test/yaml/${Date.now()}`;
    const { got, instances } = await deliver(
      {
        yaml: `mqtt:\n  broker: tcp://127.0.0.1:1883\n  topic: ${topic}\n  qos: 1\n  minimumpriority: notice\n`,
      },
      topic,
    );
    expect(instances.map((i) => [i.name, i.type, i.filterText])).toEqual([
      ['mqtt', 'mqtt', 'priority ≥ Notice'],
    ]);
    expect(got).toEqual([SAMPLE_EVENT_JSON]);
  });

  it('from environment variables only (MQTT_BROKER, MQTT_TOPIC, MQTT_QOS)', async () => {
    const topic = `falconer-test/env/${Date.now()}`;
    const { got } = await deliver(
      { env: { MQTT_BROKER: 'tcp://127.0.0.1:1883', MQTT_TOPIC: topic, MQTT_QOS: '1' } },
      topic,
    );
    expect(got).toEqual([SAMPLE_EVENT_JSON]);
  });
});
