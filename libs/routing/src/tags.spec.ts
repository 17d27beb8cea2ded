import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

describe('scenario: tags any / all / none', () => {
  const ev = (tags: string[]) => testEvent({ tags });

  it('any: at least one listed tag', () => {
    const f = compileFilter({ tags: { any: ['container', 'k8s'] } }).filter;
    expect(f.matches(ev(['k8s']))).toBe(true);
    expect(f.matches(ev(['network']))).toBe(false);
    expect(f.matches(ev([]))).toBe(false);
  });

  it('all: every listed tag', () => {
    const f = compileFilter({ tags: { all: ['container', 'shell'] } }).filter;
    expect(f.matches(ev(['container', 'mitre_execution', 'shell']))).toBe(true);
    expect(f.matches(ev(['container']))).toBe(false);
  });

  it('none: no listed tag', () => {
    const f = compileFilter({ tags: { none: ['noisy'] } }).filter;
    expect(f.matches(ev(['container']))).toBe(true);
    expect(f.matches(ev([]))).toBe(true);
    expect(f.matches(ev(['container', 'noisy']))).toBe(false);
  });

  it('combines the three with AND and says so in words', () => {
    const f = compileFilter({ tags: { any: ['container'], all: ['shell'], none: ['noisy'] } }).filter;
    expect(f.matches(ev(['container', 'shell']))).toBe(true);
    expect(f.matches(ev(['container', 'shell', 'noisy']))).toBe(false);
    expect(f.matches(ev(['shell']))).toBe(false);
    expect(f.describe).toBe('tags any of [container] and tags all of [shell] and tags none of [noisy]');
  });

  it('reports an unknown key', () => {
    expect(compileFilter({ tags: { some: ['x'] } }).errors).toEqual([
      'filter.tags.some: unknown key (expected any|all|none)',
    ]);
  });
});
