import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

describe('scenario: sources', () => {
  it('treats syscall and syscalls as the same source', () => {
    const f = compileFilter({ sources: ['syscall', 'k8s_audit'] }).filter;
    expect(f.matches(testEvent({ source: 'syscalls' }))).toBe(true);
    expect(f.matches(testEvent({ source: 'syscall' }))).toBe(true);
    expect(f.matches(testEvent({ source: 'k8s_audit' }))).toBe(true);
    expect(f.matches(testEvent({ source: 'aws_cloudtrail' }))).toBe(false);
    const g = compileFilter({ sources: 'syscalls' }).filter;
    expect(g.matches(testEvent({ source: 'syscall' }))).toBe(true);
  });
});
