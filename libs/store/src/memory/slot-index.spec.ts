import { describe, expect, it } from 'vitest';
import { seededRandom } from '@falconer/testing';
import { SlotIndex } from './slot-index';

describe('SlotIndex (the memory store uuid index)', () => {
  it('agrees with a Map through a ring of inserts, deletes and re-used keys', () => {
    const random = seededRandom(13);
    const SLOTS = 64;
    const keys: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
    const index = new SlotIndex(SLOTS, (slot) => keys[slot]);
    const model = new Map<string, number>();
    // few distinct keys: long probe runs, wrap-around and keys seen again after their slot was reused
    const key = () => `k${Math.floor(random() * 200)}`;
    const names = Array.from({ length: 200 }, (_, i) => `k${i}`);
    let head = 0;
    for (let step = 0; step < 20_000; step++) {
      const old = keys[head];
      if (old !== undefined) {
        index.delete(old, head);
        if (model.get(old) === head) model.delete(old);
      }
      const k = key();
      keys[head] = k;
      index.set(k, head);
      model.set(k, head);
      head = (head + 1) % SLOTS;
      if (step % 97 === 0) {
        const got = names.map((n) => index.get(n));
        expect(got, `step ${step}`).toEqual(names.map((n) => model.get(n)));
      }
    }
    expect(index.get('never')).toBeUndefined();
  });

  it('keeps a key set to a later slot when the earlier slot is deleted', () => {
    const keys = ['a', 'a', 'b'];
    const index = new SlotIndex(3, (slot) => keys[slot]);
    index.set('a', 0);
    index.set('b', 2);
    index.set('a', 1);
    index.delete('a', 0);
    expect(index.get('a')).toBe(1);
    index.delete('a', 1);
    expect(index.get('a')).toBeUndefined();
    expect(index.get('b')).toBe(2);
  });
});
