import { createDispatcher } from '@falconer/delivery';
import { outageBurst, uuidsIn } from '@falconer/outputs-testing';
import { KafkaMock, serviceAvailable } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasKcat = await serviceAvailable('kcat (librdkafka mock cluster)', () => KafkaMock.installed());

// librdkafka's mock cluster listens on random ports each run, so it cannot be restarted where the
// producer was connected: the outage freezes the whole cluster (SIGSTOP) for 10 s and thaws it
// (SIGCONT). Requests time out, connections are rebuilt — what a producer sees of dead brokers.
describe.skipIf(!hasKcat)('Kafka cluster frozen for 10 s during a 500-event burst', () => {
  let mock: KafkaMock;
  beforeAll(async () => {
    mock = await KafkaMock.start(3);
  });
  afterAll(() => mock.stop());

  it('all 500 delivered (acks ALL), none dead-lettered, the producer rebuilt once', async () => {
    const { config } = loadRouterConfig({
      env: {},
      yaml: `kafka:\n  hostport: ${mock.bootstrap}\n  topic: burst\n  requiredacks: ALL\n  topiccreation: true\n`,
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const output = instances[0]!.output;
    // the topic exists (and has leaders) before the burst
    for (let i = 0; i < 20; i++) {
      const r = await output.send([], new AbortController().signal);
      if (r.ok) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const report = await outageBurst({
      createDispatcher,
      output,
      stop: () => Promise.resolve(mock.pause()),
      start: () => Promise.resolve(mock.resume()),
      received: async () => uuidsIn(await mock.read('burst')),
    });
    console.log('Kafka outage:', JSON.stringify({ ...report, missing: report.missing.length }));
    expect(report.missing).toEqual([]);
    expect(report).toMatchObject({ enqueued: 500, unique: 500, deadLettered: 0 });
    expect(report.outageMs).toBeGreaterThanOrEqual(10_000);
    expect(report.health?.state).toBe('connected');
    // one producer before the outage; rebuilt after it (a few times at most while it was frozen)
    expect(report.health?.connects).toBeGreaterThanOrEqual(2);
    expect(report.health?.connects).toBeLessThanOrEqual(6);
  }, 120_000);
});
