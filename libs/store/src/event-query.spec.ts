import { describe, expect, it } from 'vitest';
import type { FalcoEvent } from '@falconer/contracts';
import { matchesQuery, normalizeQuery } from './event-query';

const event = {
  uuid: 'u',
  output: 'A shell was spawned',
  priority: 'Notice',
  rule: 'Terminal shell in container',
  time: '2026-11-30T00:00:00Z',
  output_fields: {},
  source: 'syscall',
  tags: [],
  hostname: 'h',
} as unknown as FalcoEvent;

describe('matchesQuery', () => {
  // the live hub hands one lazily computed text to every subscription's filter (issue 20, finding 15)
  it('reads the free text through the given function, only for a free-text query', () => {
    let calls = 0;
    const text = (): string => {
      calls++;
      return 'a shell was spawned';
    };
    expect(matchesQuery(normalizeQuery({ priority: ['Notice'] }), event, text)).toBe(true);
    expect(calls).toBe(0);
    expect(matchesQuery(normalizeQuery({ filter: 'SHELL' }), event, text)).toBe(true);
    expect(matchesQuery(normalizeQuery({ filter: 'nope' }), event, text)).toBe(false);
    expect(calls).toBe(2);
    // without one, the event's own text is used
    expect(matchesQuery(normalizeQuery({ filter: 'terminal shell' }), event)).toBe(true);
  });
});
