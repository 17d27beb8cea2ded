import { SAMPLE_EVENT_JSON, sampleEvent } from '@falconer/outputs-testing';
import { canConnect, serviceAvailable } from '@falconer/testing';
import { connect } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasRabbit = await serviceAvailable('RabbitMQ on 127.0.0.1:5672', () => canConnect(5672));

async function deliver(source: { yaml: string } | { env: Record<string, string> }, queue: string) {
  const conn = await connect('amqp://guest:guest@127.0.0.1:5672');
  const ch = await conn.createChannel();
  await ch.assertQueue(queue, { durable: false });
  try {
    const { config } = loadRouterConfig({ env: {}, ...source });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    expect(instances.map((i) => i.type)).toEqual(['rabbitmq']);
    expect(await instances[0]!.output.send([sampleEvent()], new AbortController().signal)).toEqual({
      ok: true,
    });
    await instances[0]!.output.close?.();
    const m = await ch.get(queue, { noAck: true });
    return m === false ? undefined : m.content.toString();
  } finally {
    await ch.deleteQueue(queue);
    await conn.close();
  }
}

describe.skipIf(!hasRabbit)('RabbitMQ configured like falcosidekick', () => {
  it('from the rabbitmq: section of a YAML file', async () => {
    const q = `falconer-yaml-${process.pid}-${Date.now()}`;
    expect(
      await deliver({ yaml: `rabbitmq:\n  url: amqp://guest:guest@127.0.0.1:5672/\n  queue: ${q}\n` }, q),
    ).toBe(SAMPLE_EVENT_JSON);
  });

  it('from environment variables only (RABBITMQ_URL, RABBITMQ_QUEUE)', async () => {
    const q = `falconer-env-${process.pid}-${Date.now()}`;
    expect(
      await deliver({ env: { RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672/', RABBITMQ_QUEUE: q } }, q),
    ).toBe(SAMPLE_EVENT_JSON);
  });
});
