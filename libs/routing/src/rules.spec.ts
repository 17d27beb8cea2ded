import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

describe('scenario: rule names and globs, include and exclude', () => {
  const ev = (rule: string) => testEvent({ rule });

  it('include: exact names and * globs', () => {
    const f = compileFilter({ rules: { include: ['Terminal shell*', 'Write below binary dir'] } }).filter;
    expect(f.matches(ev('Terminal shell in container'))).toBe(true);
    expect(f.matches(ev('Write below binary dir'))).toBe(true);
    expect(f.matches(ev('Write below binary directory'))).toBe(false);
    expect(f.matches(ev('A Terminal shell'))).toBe(false);
  });

  it('exclude wins over include', () => {
    const f = compileFilter({ rules: { include: ['*'], exclude: ['Read sensitive file*'] } }).filter;
    expect(f.matches(ev('Read sensitive file untrusted'))).toBe(false);
    expect(f.matches(ev('Terminal shell in container'))).toBe(true);
    expect(f.describe).toBe('rule is [*] and rule is not [Read sensitive file*]');
  });

  it('takes regex characters literally', () => {
    const f = compileFilter({ rules: { include: ['Launch (privileged)? container*'] } }).filter;
    expect(f.matches(ev('Launch (privileged)X container x'))).toBe(true);
    expect(f.matches(ev('Launch privileged container'))).toBe(false);
  });
});
