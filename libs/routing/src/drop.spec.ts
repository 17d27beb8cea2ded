import { describe, expect, it } from 'vitest';
import { compileDrop } from './filter';
import { testEvent } from './test-event';

describe('scenario: the global drop filter', () => {
  it('drops matching events, keeps the rest', () => {
    const { drop, errors } = compileDrop({
      rules: { include: ['Contact K8S API Server*'] },
      fields: { 'k8s.ns.name': { in: ['kube-system'] } },
    });
    expect(errors).toEqual([]);
    expect(
      drop.drops(
        testEvent({
          rule: 'Contact K8S API Server From Container',
          output_fields: { 'k8s.ns.name': 'kube-system' },
        }),
      ),
    ).toBe(true);
    expect(
      drop.drops(
        testEvent({
          rule: 'Contact K8S API Server From Container',
          output_fields: { 'k8s.ns.name': 'shop' },
        }),
      ),
    ).toBe(false);
    expect(
      drop.drops(
        testEvent({ rule: 'Terminal shell in container', output_fields: { 'k8s.ns.name': 'kube-system' } }),
      ),
    ).toBe(false);
    expect(drop.describe).toBe('rule is [Contact K8S API Server*] and k8s.ns.name in [kube-system]');
  });

  it('an empty or absent drop filter drops nothing', () => {
    expect(compileDrop(undefined).drop.drops(testEvent())).toBe(false);
    expect(compileDrop({}).drop.drops(testEvent())).toBe(false);
    expect(compileDrop({}).drop.describe).toBe('nothing');
  });

  it('reports errors under drop.', () => {
    expect(compileDrop({ sources: 'syscall', colour: 'red' }).errors).toEqual([
      'drop.colour: unknown condition (expected minimumpriority|priorities|rules|tags|sources|hostnames|fields)',
    ]);
  });
});
