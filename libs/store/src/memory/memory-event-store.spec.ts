import { describe, expect, it } from 'vitest';
import { storeScenarios, makeEvent, NOW } from '../testing/store-scenarios';
import { MemoryEventStore } from './memory-event-store';

storeScenarios('memory', {
  make: ({ maxEvents, ttlMs, now }) => Promise.resolve(new MemoryEventStore(maxEvents, ttlMs, now)),
});

describe('memory store', () => {
  it('keeps everything when the TTL is off (0)', async () => {
    const store = new MemoryEventStore(10, 0, () => NOW + 1e12);
    await store.record(makeEvent(60 * 24 * 365));
    expect(await store.count({})).toBe(1);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new MemoryEventStore(0, 1000)).toThrow(/maxevents/);
  });
});
