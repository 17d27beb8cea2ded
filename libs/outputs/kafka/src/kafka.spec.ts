import { serializeEvent } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { SAMPLE_EVENT_JSON, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { KafkaMock, serviceAvailable } from '@falconer/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaOutput } from './kafka.descriptor';
import { partitionPicker } from './kafka.partition';

const signal = (): AbortSignal => new AbortController().signal;
const hasKcat = await serviceAvailable('kcat (librdkafka mock cluster)', () => KafkaMock.installed());

function kafka(settings: Record<string, unknown>) {
  return createOutput(kafkaOutput, { name: 'kafka', type: 'kafka', path: 'kafka', settings }, {});
}

describe('Kafka settings and balancers', () => {
  it('reports what this build cannot do and what is missing', () => {
    const r = kafka({ hostport: 'k1,k2:9093', compression: 'snappy', sasl: 'PLAIN', async: true });
    expect(r.errors).toEqual(['kafka.topic: required', 'kafka.sasl: needs username and password']);
    expect(kafka({ hostport: 'k1', topic: 't', compression: 'brotli' }).errors).toEqual([
      expect.stringContaining('kafka.compression:'),
    ]);
    expect(r.warnings).toEqual([expect.stringContaining('kafka: kafka.async is accepted but not used')]);
  });

  it('balancers pick partitions as kafka-go does for key-less messages', () => {
    const ids = [0, 1, 2];
    const rr = partitionPicker('round_robin');
    expect([rr(ids, 10), rr(ids, 10), rr(ids, 10), rr(ids, 10)]).toEqual([0, 1, 2, 0]);
    const lb = partitionPicker('least_bytes');
    expect([lb(ids, 100), lb(ids, 10), lb(ids, 10), lb(ids, 10)]).toEqual([0, 1, 2, 1]);
    expect(partitionPicker('crc32')(ids, 1)).toBe(0);
    const m = partitionPicker('murmur2');
    expect(m(ids, 1)).toBe(m(ids, 5));
    expect(partitionPicker('crc32_random', () => 0.99)(ids, 1)).toBe(2);
  });
});

describe.skipIf(!hasKcat)('Kafka against the librdkafka mock cluster (outputs/kafka.go)', () => {
  let mock: KafkaMock;
  beforeAll(async () => {
    mock = await KafkaMock.start(3);
  });
  afterAll(() => mock.stop());

  it("produces falcosidekick's exact JSON, read back by a consumer; batches in one produce call", async () => {
    const { output, errors } = kafka({
      hostport: mock.bootstrap,
      topic: 'falco-sample',
      requiredacks: 'ALL',
      topiccreation: true,
    });
    expect(errors).toEqual([]);
    let r = await output.send([sampleEvent()], signal());
    // the mock creates the topic on the first metadata request; its leader may take a moment
    for (let i = 0; i < 20 && !r.ok; i++) {
      expect(r).toMatchObject({ retryable: true });
      await new Promise((res) => setTimeout(res, 200));
      r = await output.send([sampleEvent()], signal());
    }
    expect(r).toEqual({ ok: true });
    for (let i = 0; i < 10; i++)
      expect(await output.send([sampleEvent(), secondEvent()], signal())).toEqual({ ok: true });
    const records = await mock.read('falco-sample');
    expect(records.length).toBeGreaterThanOrEqual(21);
    expect(new Set(records)).toEqual(new Set([SAMPLE_EVENT_JSON, serializeEvent(secondEvent())]));
    expect(records.filter((x) => x === SAMPLE_EVENT_JSON).length).toBeGreaterThanOrEqual(11);
    expect(output.health?.()).toMatchObject({ state: 'connected', connects: 1, disconnects: 0 });
    await output.close?.();
  }, 30_000);

  it('GZIP compression and acks NONE/ONE deliver too', async () => {
    for (const [acks, compression] of [
      ['ONE', 'GZIP'],
      ['NONE', 'NONE'],
    ] as const) {
      const topic = `falco-${acks.toLowerCase()}-${compression.toLowerCase()}`;
      const { output } = kafka({
        hostport: mock.bootstrap,
        topic,
        requiredacks: acks,
        compression,
        topiccreation: true,
      });
      let r = await output.send([sampleEvent()], signal());
      for (let i = 0; i < 20 && !r.ok; i++) {
        await new Promise((res) => setTimeout(res, 200));
        r = await output.send([sampleEvent()], signal());
      }
      expect(r).toEqual({ ok: true });
      await output.close?.();
      let got: string[] = [];
      for (let i = 0; i < 20 && got.length === 0; i++) {
        got = await mock.read(topic);
        if (got.length === 0) await new Promise((res) => setTimeout(res, 100));
      }
      expect(got[0]).toBe(SAMPLE_EVENT_JSON);
    }
  }, 30_000);

  it('SNAPPY, LZ4, ZSTD and GZIP batches are read back by librdkafka (kcat) and by a kafkajs consumer', async () => {
    const want = [SAMPLE_EVENT_JSON, serializeEvent(secondEvent()), SAMPLE_EVENT_JSON];
    const topics: string[] = [];
    for (const compression of ['SNAPPY', 'LZ4', 'ZSTD', 'GZIP'] as const) {
      const topic = `falco-codec-${compression.toLowerCase()}`;
      topics.push(topic);
      const { output, errors } = kafka({
        hostport: mock.bootstrap,
        topic,
        requiredacks: 'ONE',
        compression,
        topiccreation: true,
        balancer: 'crc32',
      });
      expect(errors).toEqual([]);
      // a batch of several records: one compressed record batch
      const batch = [sampleEvent(), secondEvent(), sampleEvent()];
      let r = await output.send(batch, signal());
      for (let i = 0; i < 20 && !r.ok; i++) {
        await new Promise((res) => setTimeout(res, 200));
        r = await output.send(batch, signal());
      }
      expect(r, compression).toEqual({ ok: true });
      await output.close?.();
      expect(await mock.read(topic), `${compression} via kcat`).toEqual(want);
    }
    const got = await consume(mock.bootstrap, topics, want.length);
    for (const topic of topics) expect(got.get(topic), `${topic} via kafkajs`).toEqual(want);
  }, 90_000);
});

/** The first `n` record values of each topic, read from the beginning by one kafkajs consumer. */
async function consume(bootstrap: string, topics: string[], n: number): Promise<Map<string, string[]>> {
  const consumer = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING }).consumer({
    groupId: `falconer-test-codecs-${process.pid}`,
  });
  const got = new Map<string, string[]>(topics.map((t) => [t, []]));
  const done = (): boolean => [...got.values()].every((v) => v.length >= n);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`not all read: ${JSON.stringify([...got])}`)), 30_000);
      void consumer.run({
        eachMessage: ({ topic, message }) => {
          got.get(topic)?.push(message.value?.toString() ?? '');
          if (done()) {
            clearTimeout(t);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}
