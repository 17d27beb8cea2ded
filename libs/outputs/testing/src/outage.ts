import { randomUUID } from 'node:crypto';
import type { FalcoEvent } from '@falconer/contracts';
import type { Output, OutputHealth } from '@falconer/outputs-core';
import { sampleEvent } from './sample-events';

/** The part of `@falconer/delivery`'s dispatcher the outage run uses (passed in: delivery depends on outputs). */
export interface OutageDispatcher {
  enqueue(event: FalcoEvent, outputs: readonly string[]): Promise<void>;
  start(): Promise<void>;
  stop(deadlineMs: number): Promise<{ unsent: number }>;
  outputs(): Promise<{ name: string; counters: { sent: number; deadLettered: number } }[]>;
}

export interface OutageOptions {
  /** `createDispatcher` from `@falconer/delivery`. */
  createDispatcher(opts: {
    targets: { name: string; type: string; output: Output; delivery: Record<string, unknown> }[];
  }): Promise<OutageDispatcher>;
  output: Output;
  /** Stops the server (kills it, closes the output's connection from the server side…). */
  stop(): Promise<void>;
  /** Brings it back. */
  start(): Promise<void>;
  /** The uuids of the events the server holds (duplicates included), read back at the server. */
  received(): Promise<string[]>;
  events?: number;
  outageMs?: number;
  /** Raw `delivery:` settings of the output (defaults otherwise). */
  delivery?: Record<string, unknown>;
}

export interface OutageReport {
  enqueued: number;
  sent: number;
  deadLettered: number;
  /** Distinct uuids at the server. */
  unique: number;
  /** Copies beyond the first (a broker that cannot say whether a send in flight when it died arrived). */
  duplicates: number;
  missing: string[];
  /** How long the server was away, and how long the whole run took. */
  outageMs: number;
  totalMs: number;
  /** The output's `health()` at the end, before the dispatcher closes it. */
  health?: OutputHealth;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The broker outage scenario: a burst of events enqueued through the real delivery layer, the server
 * stopped after the first fifth for `outageMs` while the rest keep coming, then restarted; waits until
 * every event is sent or dead-lettered and reads back what the server holds.
 */
export async function outageBurst(o: OutageOptions): Promise<OutageReport> {
  const total = o.events ?? 500;
  const outageMs = o.outageMs ?? 10_000;
  const started = Date.now();
  const name = o.output.name;
  const d = await o.createDispatcher({
    targets: [{ name, type: o.output.type, output: o.output, delivery: o.delivery ?? {} }],
  });
  await d.start();
  const uuids: string[] = [];
  const enqueue = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const uuid = randomUUID();
      uuids.push(uuid);
      await d.enqueue(sampleEvent({ uuid, output: `burst event ${uuids.length}` }), [name]);
    }
  };
  try {
    const first = Math.floor(total / 5);
    await enqueue(first);
    await sleep(200);
    await o.stop();
    const down = Date.now();
    // the rest of the burst arrives while the server is away, spread over the outage's first half
    const rest = total - first;
    const slices = 10;
    for (let s = 0; s < slices; s++) {
      await enqueue(Math.floor(rest / slices) + (s < rest % slices ? 1 : 0));
      await sleep(outageMs / 2 / slices);
    }
    await sleep(Math.max(0, outageMs - (Date.now() - down)));
    await o.start();
    const back = Date.now();
    let info = (await d.outputs())[0];
    while (info !== undefined && info.counters.sent + info.counters.deadLettered < total) {
      if (Date.now() - back > 60_000) break;
      await sleep(100);
      info = (await d.outputs())[0];
    }
    const health = o.output.health?.();
    const got = await o.received();
    const seen = new Set(got);
    return {
      ...(health !== undefined ? { health } : {}),
      enqueued: uuids.length,
      sent: info?.counters.sent ?? 0,
      deadLettered: info?.counters.deadLettered ?? 0,
      unique: uuids.filter((u) => seen.has(u)).length,
      duplicates: got.length - seen.size,
      missing: uuids.filter((u) => !seen.has(u)),
      outageMs: back - down,
      totalMs: Date.now() - started,
    };
  } finally {
    await d.stop(2_000);
  }
}

/** The uuid of each JSON payload (falcosidekick's event JSON). */
export function uuidsIn(payloads: readonly (string | Buffer)[]): string[] {
  return payloads.map((p) => (JSON.parse(p.toString()) as { uuid: string }).uuid);
}
