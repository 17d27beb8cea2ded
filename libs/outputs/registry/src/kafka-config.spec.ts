import { SAMPLE_EVENT_JSON, sampleEvent } from '@falconer/outputs-testing';
import { KafkaMock, serviceAvailable } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasKcat = await serviceAvailable('kcat (librdkafka mock cluster)', () => KafkaMock.installed());

describe.skipIf(!hasKcat)('Kafka configured like falcosidekick, read back by a consumer', () => {
  let mock: KafkaMock;
  beforeAll(async () => {
    mock = await KafkaMock.start(3);
  });
  afterAll(() => mock.stop());

  async function deliver(source: { yaml: string } | { env: Record<string, string> }, topic: string) {
    const { config } = loadRouterConfig({ env: {}, ...source });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const out = instances[0]!.output;
    let r = await out.send([sampleEvent()], new AbortController().signal);
    for (let i = 0; i < 20 && !r.ok; i++) {
      await new Promise((res) => setTimeout(res, 200));
      r = await out.send([sampleEvent()], new AbortController().signal);
    }
    expect(r).toEqual({ ok: true });
    await out.close?.();
    return mock.read(topic);
  }

  it('from the kafka: section of a YAML file', async () => {
    const got = await deliver(
      {
        yaml: `kafka:\n  hostport: ${mock.bootstrap}\n  topic: falco-yaml\n  requiredacks: ALL\n  balancer: least_bytes\n  clientid: falco-test\n  topiccreation: true\n`,
      },
      'falco-yaml',
    );
    expect(got).toEqual([SAMPLE_EVENT_JSON]);
  });

  it('from environment variables only (KAFKA_HOSTPORT, KAFKA_TOPIC, KAFKA_REQUIREDACKS)', async () => {
    const got = await deliver(
      {
        env: {
          KAFKA_HOSTPORT: mock.bootstrap,
          KAFKA_TOPIC: 'falco-env',
          KAFKA_REQUIREDACKS: 'ONE',
          KAFKA_TOPICCREATION: 'true',
        },
      },
      'falco-env',
    );
    expect(got).toEqual([SAMPLE_EVENT_JSON]);
  });
});
