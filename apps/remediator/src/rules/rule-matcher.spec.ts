import { describe, expect, it } from 'vitest';
import type { FalcoEvent } from '@falconer/contracts';
import { LosslessNumber } from '@falconer/contracts';
import { matches, selectRules } from './rule-matcher';
import { parseRules } from './rules';

function event(over: Partial<FalcoEvent> = {}): FalcoEvent {
  return {
    uuid: 'u1',
    output: 'x',
    priority: 'Warning',
    rule: 'Terminal shell in container',
    time: '2026-11-20T10:15:02.482910331Z',
    output_fields: {
      'k8s.ns.name': 'prod',
      'proc.tty': 34816,
      'evt.num': new LosslessNumber('1507591916746609046'),
      'fd.name': null,
      'proc.aname': ['bash', 'sshd'],
    },
    source: 'syscall',
    tags: ['container', 'shell'],
    hostname: 'worker-1',
    ...over,
  };
}

function rule(match: string): ReturnType<typeof parseRules>[number] {
  return parseRules(`- { name: r, match: ${match}, actions: [ { action: log } ] }`)[0]!;
}

describe('matches', () => {
  it('compares priorities with every comparator', () => {
    const cases: [string, boolean][] = [
      ['">=Warning"', true],
      ['">=Error"', false],
      ['">Notice"', true],
      ['"<Warning"', false],
      ['"<=warning"', true],
      ['"=Warning"', true],
      ['"==Warning"', true],
      ['"!=Warning"', false],
      ['Warning', true],
      ['info', false],
    ];
    for (const [p, want] of cases) expect(matches(rule(`{ priority: ${p} }`).match, event()), p).toBe(want);
  });

  it('matches rule names with wildcards, all tags, any source, and output fields', () => {
    expect(matches(rule('{ rules: ["Terminal shell*"] }').match, event())).toBe(true);
    expect(matches(rule('{ rules: ["Terminal shell"] }').match, event())).toBe(false);
    expect(matches(rule('{ rules: ["Terminal ?hell in container"] }').match, event())).toBe(true);
    expect(matches(rule('{ tags: [container, shell] }').match, event())).toBe(true);
    expect(matches(rule('{ tags: [container, mitre] }').match, event())).toBe(false);
    expect(matches(rule('{ source: [k8s_audit, syscall] }').match, event())).toBe(true);
    expect(matches(rule('{ source: k8s_audit }').match, event())).toBe(false);
    expect(matches(rule('{ fields: { k8s.ns.name: [dev, prod] } }').match, event())).toBe(true);
    expect(matches(rule('{ fields: { k8s.ns.name: "pr*" } }').match, event())).toBe(true);
    expect(matches(rule('{ fields: { k8s.ns.name: dev } }').match, event())).toBe(false);
    expect(matches(rule('{ fields: { missing.field: x } }').match, event())).toBe(false);
    // numbers by their exact text, null as "null", arrays when any element matches
    expect(matches(rule('{ fields: { proc.tty: 34816 } }').match, event())).toBe(true);
    expect(matches(rule('{ fields: { evt.num: "1507591916746609046" } }').match, event())).toBe(true);
    expect(matches(rule('{ fields: { fd.name: null } }').match, event())).toBe(true);
    expect(matches(rule('{ fields: { proc.aname: sshd } }').match, event())).toBe(true);
    // every condition must hold
    expect(matches(rule('{ rules: ["Terminal*"], priority: ">=Critical" }').match, event())).toBe(false);
  });

  it('globs are literal apart from * and ?', () => {
    const named = (pattern: string, name: string): boolean =>
      matches(rule(`{ rules: [${JSON.stringify(pattern)}] }`).match, event({ rule: name }));
    expect(named('a.b(c)', 'a.b(c)')).toBe(true);
    expect(named('a.b*', 'aXb')).toBe(false);
    expect(named('*', '')).toBe(true);
    expect(named('Terminal?shell*', 'Terminal shell in container')).toBe(true);
  });
});

describe('selectRules', () => {
  it('keeps file order and stops after a matching rule with continue: false', () => {
    const rules = parseRules(`
- { name: one, match: { tags: [shell] }, actions: [ { action: log } ] }
- { name: two, match: { priority: ">=Warning" }, continue: false, actions: [ { action: log } ] }
- { name: three, match: { tags: [container] }, actions: [ { action: log } ] }
`);
    expect(selectRules(rules, event()).map((r) => r.name)).toEqual(['one', 'two']);
    expect(selectRules(rules, event({ priority: 'Notice' })).map((r) => r.name)).toEqual(['one', 'three']);
  });
});
