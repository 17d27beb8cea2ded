// Built and run by bench/outputs-brokers.mjs: sustained delivered events/s of the NATS, MQTT, Kafka and
// Redis outputs through the real delivery layer (memory queue, default delivery settings, the output's
// own batch policy), against the machine's servers (NATS :4222, Mosquitto :1883, Redis :6379) and
// librdkafka's mock cluster run by kcat. Each output is measured ROUNDS times (a shared machine is
// noisy; the best round counts) and, for where the time goes, also driven directly — its send() with
// full batches, no delivery layer — which is the client's own ceiling. The Node process's CPU time per
// event is printed too: it does not depend on how busy the machine is.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import type { FalcoEvent } from '@falconer/contracts';
import { createDispatcher } from '@falconer/delivery';
import { createOutput, type Output } from '@falconer/outputs-core';
import { kafkaOutput } from '@falconer/outputs-kafka';
import { mqttOutput } from '@falconer/outputs-mqtt';
import { natsOutput } from '@falconer/outputs-nats';
import { redisOutput } from '@falconer/outputs-redis';
import { sampleEvent } from '../libs/outputs/testing/src/sample-events';
// test helpers by path: the packages' index would pull in the fixtures loader (import.meta, ESM only)
import { KafkaMock } from '../libs/testing/src/kafka-mock';
import { canConnect } from '../libs/testing/src/services';
import { createClient } from 'redis';

const EVENTS = Number(process.env['BENCH_BROKER_EVENTS'] ?? 30_000);
const LIMIT_MS = 20_000;
const TARGET = 10_000;
const ROUNDS = Number(process.env['BENCH_BROKER_ROUNDS'] ?? 3);

interface Run {
  delivered: number;
  ms: number;
  dead: number;
  enqueuedMs: number;
  /** CPU time of this process (user + system) during the run. */
  cpuMs: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function measure(output: Output): Promise<Run> {
  const d = await createDispatcher({
    targets: [
      {
        name: output.name,
        type: output.type,
        output,
        delivery: {
          queuesize: EVENTS + 1,
          ...(process.env['BENCH_FLUSH'] ? { batch: { flushinterval: process.env['BENCH_FLUSH'] } } : {}),
        },
      },
    ],
  });
  await d.start();
  // warm-up: the connection is opened and the topic exists before the clock starts
  await d.enqueue(sampleEvent({ uuid: randomUUID() }), [output.name]);
  const warmEnd = Date.now() + 10_000;
  while (((await d.outputs())[0]?.counters.sent ?? 0) < 1 && Date.now() < warmEnd)
    await new Promise((r) => setTimeout(r, 20));
  const started = Date.now();
  const cpu0 = cpuMs();
  for (let i = 0; i < EVENTS; i++) await d.enqueue(sampleEvent({ uuid: randomUUID() }), [output.name]);
  const enqueuedMs = Date.now() - started;
  let info = (await d.outputs())[0];
  while (
    info &&
    info.counters.sent + info.counters.deadLettered < EVENTS + 1 &&
    Date.now() - started < LIMIT_MS
  ) {
    await new Promise((r) => setTimeout(r, 10));
    info = (await d.outputs())[0];
  }
  const ms = Date.now() - started;
  const result = {
    delivered: (info?.counters.sent ?? 1) - 1,
    ms,
    dead: info?.counters.deadLettered ?? 0,
    enqueuedMs,
    cpuMs: cpuMs() - cpu0,
  };
  await d.stop(2_000);
  return result;
}

/** The output's send() with full batches, 4 at a time (the default delivery concurrency): the client's ceiling. */
async function direct(output: Output): Promise<number> {
  const size = output.batch?.maxEvents ?? 1;
  const events: FalcoEvent[] = Array.from({ length: EVENTS }, () => sampleEvent({ uuid: randomUUID() }));
  const first = await output.send(events.slice(0, 1), new AbortController().signal);
  if (!first.ok) throw new Error(`direct send failed: ${first.detail}`);
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < EVENTS) {
        const batch = events.slice(next, next + size);
        next += size;
        const r = await output.send(batch, AbortSignal.timeout(10_000));
        if (!r.ok) throw new Error(`direct send failed: ${r.detail}`);
      }
    }),
  );
  const ms = Date.now() - started;
  await output.close?.();
  return Math.round((EVENTS / Math.max(1, ms)) * 1000);
}

function build(d: Parameters<typeof createOutput>[0], settings: Record<string, unknown>): Output {
  const { output, errors } = createOutput(d, { name: d.type, type: d.type, path: d.type, settings }, {});
  if (errors.length > 0) throw new Error(errors.join('; '));
  return output;
}

/** The delivery layer's own ceiling on this machine: an output that accepts every batch at once. */
const noop: Output = {
  name: 'noop',
  type: 'noop',
  batch: { maxEvents: 1000, flushIntervalMs: 0 },
  send: () => Promise.resolve({ ok: true }),
};

const runId = `${process.pid}-${Date.now()}`;
const cases: {
  name: string;
  available: () => Promise<boolean>;
  /** Once before the rounds (a server to start). */
  setup?: () => Promise<void>;
  /** A fresh output for each round. */
  make: () => Promise<Output>;
  cleanup?: () => Promise<void>;
}[] = [
  {
    name: 'baseline (no-op output)',
    available: () => Promise.resolve(true),
    make: () => Promise.resolve(noop),
  },
  {
    name: 'nats',
    available: () => canConnect(4222),
    make: () =>
      Promise.resolve(
        build(natsOutput, { hostport: 'nats://127.0.0.1:4222', subjecttemplate: `bench.${runId}.<rule>` }),
      ),
  },
  {
    name: 'mqtt (qos 1)',
    available: () => canConnect(1883),
    make: () =>
      Promise.resolve(build(mqttOutput, { broker: 'tcp://127.0.0.1:1883', topic: `bench/${runId}`, qos: 1 })),
  },
  {
    name: 'redis (list)',
    available: () => canConnect(6379),
    make: () =>
      Promise.resolve(build(redisOutput, { address: '127.0.0.1:6379', key: `falconer-bench:${runId}` })),
    cleanup: async () => {
      const r = createClient({ url: 'redis://127.0.0.1:6379' });
      await r.connect();
      await r.del(`falconer-bench:${runId}`);
      await r.close();
    },
  },
];
let mock: KafkaMock | undefined;
cases.push({
  name: 'kafka (acks ALL, mock cluster)',
  available: () => Promise.resolve(KafkaMock.installed()),
  setup: async () => {
    mock = await KafkaMock.start(3);
  },
  make: () =>
    mock === undefined
      ? Promise.reject(new Error('no mock cluster'))
      : Promise.resolve(
          build(kafkaOutput, {
            hostport: mock.bootstrap,
            topic: 'bench',
            requiredacks: 'ALL',
            topiccreation: true,
          }),
        ),
  cleanup: async () => mock?.stop(),
});

const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  let failed = false;
  console.log(
    `${EVENTS} events per output, enqueued as fast as possible, best of ${ROUNDS} rounds; target ≥ ${TARGET} delivered/s`,
  );
  console.log(
    `load average at start: ${load()} (2 cores: above 2 the figures are the machine's, not Falconer's)`,
  );
  for (const c of cases) {
    if (!(await c.available())) {
      console.log(`${c.name.padEnd(32)} skipped: server not available`);
      continue;
    }
    await c.setup?.();
    try {
      const runs: Run[] = [];
      let baseline = false;
      for (let i = 0; i < ROUNDS; i++) {
        const output = await c.make();
        baseline = output === noop;
        runs.push(await measure(output));
      }
      const rate = (r: Run): number => Math.round((r.delivered / r.ms) * 1000);
      const best = runs.reduce((a, b) => (rate(b) > rate(a) ? b : a));
      const all = runs.every((r) => r.delivered === EVENTS && r.dead === 0);
      const ok = all && (rate(best) >= TARGET || baseline);
      if (!ok) failed = true;
      const ceiling = baseline ? '' : `, client alone ${await direct(await c.make())}/s`;
      console.log(
        `${c.name.padEnd(32)} ${String(rate(best)).padStart(7)} events/s  (rounds ${runs.map(rate).join(', ')}; ${best.delivered}/${EVENTS} in ${best.ms} ms, enqueued in ${best.enqueuedMs} ms, ${best.dead} dead-lettered; ${Math.round((best.cpuMs * 1000) / EVENTS)} µs CPU/event${ceiling})${ok ? '' : '  BELOW TARGET'}`,
      );
    } finally {
      await c.cleanup?.();
    }
  }
  console.log(`load average at end: ${load()}`);
  if (failed) process.exitCode = 1;
}

void main();
