import { describe, expect, it } from 'vitest';
import type { FalcoEvent } from '@falconer/contracts';
import { parseEvent } from '@falconer/falco';
import { fixture } from '@falconer/testing';
import { storeScenarios, makeEvent, NOW } from '../testing/store-scenarios';
import { MemoryEventStore } from './memory-event-store';

storeScenarios('memory', {
  make: ({ maxEvents, ttlMs, now }) => Promise.resolve(new MemoryEventStore(maxEvents, ttlMs, now)),
});

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('memory store', () => {
  it('keeps everything when the TTL is off (0)', async () => {
    const store = new MemoryEventStore(10, 0, () => NOW + 1e12);
    await store.record(makeEvent(60 * 24 * 365));
    expect(await store.count({})).toBe(1);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new MemoryEventStore(0, 1000)).toThrow(/maxevents/);
  });

  it('keeps the default 100 000 events of ~1 KB within the default store.maxbytes (256 MiB)', async () => {
    // issue 13: counted at two bytes a character, ~91 000 such events filled 256 MiB
    const json = fixture('shell-in-container');
    expect(json.length).toBeGreaterThan(1_000);
    const store = new MemoryEventStore(100_000, 0, Date.now, 256 * 1024 * 1024);
    const base = parseEvent(json).event;
    for (let i = 0; i < 100_000; i++) {
      const id = i.toString(16).padStart(12, '0');
      await store.record({
        ...base,
        uuid: uuid(i),
        output: `${base.output} ${id}`,
        output_fields: { ...base.output_fields, 'container.id': id, 'proc.pid': i },
      });
    }
    expect(await store.count({})).toBe(100_000);
    expect(await store.get(uuid(0))).toBeDefined();
  }, 120_000); // 100 000 records: seconds on a busy machine

  it('counts text V8 keeps two bytes a character at two bytes against store.maxbytes', async () => {
    const kept = async (char: string): Promise<number> => {
      const store = new MemoryEventStore(1_000, 0, Date.now, 2_000_000);
      for (let i = 0; i < 100; i++) {
        await store.record({ ...makeEvent(1), uuid: uuid(i), output: char.repeat(100_000) });
      }
      return store.count({});
    };
    // Latin-1 (é included) is one byte a character in V8; 中 is not
    expect(await kept('é')).toBe(19);
    expect(await kept('中')).toBe(9);
  });

  it('gives a reused slot a clean slate: no deliveries or remediations of the event it held', async () => {
    const store = new MemoryEventStore(2, 0);
    const [a, b, c] = [makeEvent(1), makeEvent(1), makeEvent(1)];
    await store.record(a);
    expect(
      await store.setDelivery(a.uuid, { output: 'webhook', state: 'delivered', attempts: 1, updatedAt: 'x' }),
    ).toBe(true);
    await store.record(b);
    await store.record(c); // takes a's slot
    expect(await store.get(a.uuid)).toBeUndefined();
    expect(
      await store.setDelivery(a.uuid, {
        output: 'webhook',
        state: 'dead_lettered',
        attempts: 2,
        updatedAt: 'x',
      }),
    ).toBe(false);
    expect(await store.get(c.uuid)).toMatchObject({ event: c, deliveries: [], remediations: [] });
  });

  it('exports the events that matched when it started, even while new ones take their slots', async () => {
    const store = new MemoryEventStore(3, 0);
    const first: FalcoEvent[] = [makeEvent(3), makeEvent(2), makeEvent(1)];
    for (const e of first) await store.record(e);
    const out: string[] = [];
    for await (const e of store.export({})) {
      out.push(e.uuid);
      await store.record(makeEvent(0));
    }
    expect(out).toEqual(first.map((e) => e.uuid).reverse());
  });
});
