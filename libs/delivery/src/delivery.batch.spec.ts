import { afterEach, describe, expect, it } from 'vitest';
import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import type { BatchPolicy, Output, SendResult } from '@falconer/outputs-core';
import { createDispatcher } from './create-dispatcher';
import { type DeliveryService } from './delivery-service';
import { waitUntil } from './testing/harness';
import { testEvent } from '@falconer/testing';

// Batch outputs in the worker: byte limits, and per-item outcomes (`failedIndexes`/`rejectedIndexes`,
// as Elasticsearch `_bulk` reports them). The output here records batches in memory: what is under
// test is the worker's handling of what an output says, not HTTP.

class RecordingOutput implements Output {
  readonly name = 'bulk';
  readonly type = 'elasticsearch';
  readonly batches: FalcoEvent[][] = [];

  constructor(
    readonly batch: BatchPolicy,
    private readonly answer: (batch: readonly FalcoEvent[], call: number) => SendResult = () => ({
      ok: true,
    }),
  ) {}

  send(batch: readonly FalcoEvent[]): Promise<SendResult> {
    this.batches.push([...batch]);
    return Promise.resolve(this.answer(batch, this.batches.length - 1));
  }
}

const stops: DeliveryService[] = [];
afterEach(async () => {
  for (const d of stops.splice(0)) await d.stop(500);
});

async function start(output: Output): Promise<DeliveryService> {
  const d = await createDispatcher({
    targets: [{ name: output.name, type: output.type, output, delivery: { backoff: { base: '10ms' } } }],
  });
  await d.start();
  stops.push(d);
  return d;
}

describe('batches', () => {
  it('closes a batch before it passes maxBytes', async () => {
    const size = serializeEvent(testEvent(1)).length;
    const out = new RecordingOutput({ maxEvents: 100, maxBytes: size * 5 + 10, flushIntervalMs: 50 });
    const d = await start(out);
    for (let i = 0; i < 40; i++) await d.enqueue(testEvent(i), ['bulk']);
    await waitUntil(() => out.batches.flat().length === 40, 5_000, '40 events');
    for (const b of out.batches) expect(b.length).toBeLessThanOrEqual(5);
    expect(new Set(out.batches.flat().map((e) => e.uuid)).size).toBe(40);
  });

  it('retries only the failed items of a batch and dead-letters the rejected ones', async () => {
    const out = new RecordingOutput({ maxEvents: 10, flushIntervalMs: 100 }, (batch, call) =>
      call === 0
        ? {
            ok: false,
            retryable: true,
            reason: 'rate_limited',
            detail: 'es_rejected_execution_exception',
            failedIndexes: [1, 2],
            rejectedIndexes: [3],
          }
        : { ok: true },
    );
    const d = await start(out);
    const events = Array.from({ length: 5 }, (_, i) => testEvent(i));
    for (const e of events) await d.enqueue(e, ['bulk']);
    await waitUntil(() => out.batches.length === 2, 5_000, 'the retry');
    const [first, second] = out.batches as [FalcoEvent[], FalcoEvent[]];
    expect(first.map((e) => e.uuid)).toEqual(events.map((e) => e.uuid));
    expect(second.map((e) => e.uuid)).toEqual([events[1]?.uuid, events[2]?.uuid]);
    const { results } = await d.listDeadLetters({ offset: 0, limit: 10 });
    expect(results.map((r) => r.event.uuid)).toEqual([events[3]?.uuid]);
    await waitUntil(async () => (await d.outputs())[0]?.counters.sent === 4, 2_000, 'sent counter');
    expect((await d.outputs())[0]?.counters).toMatchObject({ sent: 4, retried: 2, deadLettered: 1 });
  });

  it('an output that throws is treated as a network failure and retried', async () => {
    let calls = 0;
    const output: Output = {
      name: 'bulk',
      type: 'x',
      send: () => {
        calls++;
        if (calls === 1) return Promise.reject(new Error('socket hang up'));
        return Promise.resolve({ ok: true });
      },
    };
    const d = await start(output);
    await d.enqueue(testEvent(1), ['bulk']);
    await waitUntil(async () => (await d.outputs())[0]?.counters.sent === 1, 5_000, 'delivered');
    expect((await d.outputs())[0]?.counters.failed).toEqual({ network: 1 });
  });
});
