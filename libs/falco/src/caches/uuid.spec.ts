import { describe, expect, it } from 'vitest';
import { flatRandomUuid } from './uuid';

describe('flatRandomUuid', () => {
  it('makes distinct version 4 UUIDs, also across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const u = flatRandomUuid();
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(u);
    }
    expect(seen.size).toBe(1000);
  });
});
