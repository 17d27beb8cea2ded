import { describe, expect, it } from 'vitest';
import { serializeOutputFields } from './serialize';

describe('serializeOutputFields', () => {
  it('sorts keys like Go for any number of alternating key sets', () => {
    const sets: Record<string, number>[] = [];
    for (let n = 0; n < 12; n++) {
      const f: Record<string, number> = {};
      for (let k = n; k >= 0; k--) f[`k${String.fromCharCode(97 + k)}<${k}>`] = k;
      sets.push(f);
    }
    for (let round = 0; round < 3; round++) {
      for (const f of sets) {
        const keys = Object.keys(f).sort();
        const want =
          '{' +
          keys
            .map(
              (k) => `${JSON.stringify(k).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')}:${String(f[k])}`,
            )
            .join(',') +
          '}';
        expect(serializeOutputFields(f)).toBe(want);
      }
    }
    expect(serializeOutputFields({ b: 'x', a: null })).toBe('{"a":null,"b":"x"}');
  });
});
