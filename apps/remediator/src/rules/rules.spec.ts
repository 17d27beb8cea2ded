import { describe, expect, it } from 'vitest';
import { parseRules, RulesError } from './rules';

const SPEC_EXAMPLE = `
- name: kill shells in prod
  match:
    rules: ["Terminal shell in container"]
    priority: ">=Notice"
    tags: [container]            # all listed tags must be present
    fields: { "k8s.ns.name": ["prod", "payments"] }
    source: syscall
  actions:
    - action: kubernetes:terminate
      parameters: { gracePeriodSeconds: 0, ignoreDaemonsets: true, ignoreStatefulsets: true, minHealthyReplicas: "50%" }
    - action: kubernetes:label
      parameters: { labels: { falconer.io/quarantined: "true" } }
  dryRun: false
  continue: false
`;

function problems(text: string): string[] {
  try {
    parseRules(text, 'rules.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RulesError);
    return (err as RulesError).problems;
  }
  throw new Error('expected the rules to be refused');
}

describe('parseRules', () => {
  it('reads the example of spec/remediation.md', () => {
    const [rule] = parseRules(SPEC_EXAMPLE);
    expect(rule).toEqual({
      name: 'kill shells in prod',
      match: {
        rules: ['Terminal shell in container'],
        priority: { op: '>=', priority: 'Notice' },
        tags: ['container'],
        sources: ['syscall'],
        fields: { 'k8s.ns.name': ['prod', 'payments'] },
      },
      actions: [
        {
          action: 'kubernetes:terminate',
          parameters: {
            gracePeriodSeconds: 0,
            ignoreDaemonsets: true,
            ignoreStatefulsets: true,
            ignoreStandalonePods: true,
            minHealthyReplicas: { kind: 'percent', value: 50 },
          },
        },
        { action: 'kubernetes:label', parameters: { labels: { 'falconer.io/quarantined': 'true' } } },
      ],
      dryRun: false,
      continue: false,
    });
  });

  it('fills safe defaults', () => {
    const [rule] = parseRules(`
- name: r
  match: { priority: critical }
  actions: [ { action: kubernetes:terminate }, { action: kubernetes:networkpolicy }, { action: log } ]
`);
    expect(rule?.match.priority).toEqual({ op: '=', priority: 'Critical' });
    expect(rule?.dryRun).toBe(false);
    expect(rule?.continue).toBe(true);
    expect(rule?.actions).toEqual([
      {
        action: 'kubernetes:terminate',
        parameters: { ignoreDaemonsets: true, ignoreStatefulsets: false, ignoreStandalonePods: true },
      },
      {
        action: 'kubernetes:networkpolicy',
        parameters: {
          policyName: 'falconer-quarantine',
          label: { key: 'falconer.io/quarantined', value: 'true' },
        },
      },
      { action: 'log', parameters: { message: '' } },
    ]);
  });

  it('accepts minHealthyReplicas as a count (number or text)', () => {
    const rules = parseRules(`
- name: a
  match: { rules: [x] }
  actions: [ { action: kubernetes:terminate, parameters: { minHealthyReplicas: 2 } } ]
- name: b
  match: { rules: [x] }
  actions: [ { action: kubernetes:terminate, parameters: { minHealthyReplicas: "3" } } ]
`);
    expect(
      rules.map((r) => (r.actions[0]?.parameters as { minHealthyReplicas: unknown }).minHealthyReplicas),
    ).toEqual([
      { kind: 'count', value: 2 },
      { kind: 'count', value: 3 },
    ]);
  });

  it('lists every problem at once, each with where it is', () => {
    const p = problems(`
- name: first
  match: { priority: ">=Urgent", colour: red }
  actions:
    - action: kubernetes:explode
    - action: kubernetes:terminate
      parameters: { minHealthyReplicas: "150%", gracePeriodSeconds: -1, ignoreDeamonsets: true }
- name: second
  match: {}
  actions: []
- match: { rules: [x] }
  actions: [ { action: kubernetes:label, parameters: { labels: { "bad key!": "x", ok: "white space" } } } ]
`);
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^rules\[0\] \("first"\)\.match\.priority: expected a comparison such as ">=Notice".*got ">=Urgent"$/,
        ),
        expect.stringMatching(/^rules\[0\] \("first"\)\.match: .*colour/),
        expect.stringMatching(
          /^rules\[0\] \("first"\)\.actions\[0\]\.action: unknown action; expected one of kubernetes:terminate, kubernetes:label, kubernetes:networkpolicy, log$/,
        ),
        expect.stringMatching(
          /^rules\[0\] \("first"\)\.actions\[1\]\.parameters\.minHealthyReplicas: a percentage must be at most 100%/,
        ),
        expect.stringMatching(/^rules\[0\] \("first"\)\.actions\[1\]\.parameters\.gracePeriodSeconds: /),
        expect.stringMatching(/^rules\[0\] \("first"\)\.actions\[1\]\.parameters: .*ignoreDeamonsets/),
        'rules[1] ("second").match: needs at least one condition (an empty match would act on every event)',
        'rules[1] ("second").actions: at least one action is required',
        expect.stringMatching(/^rules\[2\]\.name: /),
        expect.stringMatching(
          /^rules\[2\]\.actions\[0\]\.parameters\.labels\.bad key!: label key "bad key!"/,
        ),
        expect.stringMatching(/^rules\[2\]\.actions\[0\]\.parameters\.labels\.ok: label value "white space"/),
      ]),
    );
    expect(p).toHaveLength(11);
  });

  it('refuses YAML syntax errors, an empty file, a map instead of a list and duplicate names', () => {
    expect(problems('- name: [unclosed')[0]).toMatch(/^YAML: /);
    expect(problems('')).toEqual(['the file holds no rules; expected a YAML list of rules']);
    expect(problems('name: r')[0]).toMatch(/^\(file\): /);
    expect(
      problems(`
- { name: same, match: { rules: [a] }, actions: [ { action: log } ] }
- { name: same, match: { rules: [b] }, actions: [ { action: log } ] }
`),
    ).toEqual(['rules[1] ("same"): name already used by rules[0]']);
  });

  it('names the file in the error message', () => {
    expect(() => parseRules('- name: x', '/etc/falconer/rules.yaml')).toThrow(
      /^invalid response rules in \/etc\/falconer\/rules\.yaml:\n {2}- /,
    );
  });
});
