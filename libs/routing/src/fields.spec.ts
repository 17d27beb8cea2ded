import { LosslessNumber } from '@falconer/contracts';
import { describe, expect, it } from 'vitest';
import { compileFilter } from './filter';
import { testEvent } from './test-event';

describe('scenario: output-field conditions', () => {
  const ev = (output_fields: Record<string, string | number | null | LosslessNumber | string[]>) =>
    testEvent({ output_fields });

  it('in / notin', () => {
    const f = compileFilter({ fields: { 'k8s.ns.name': { in: ['prod', 'payments'] } } }).filter;
    expect(f.matches(ev({ 'k8s.ns.name': 'prod' }))).toBe(true);
    expect(f.matches(ev({ 'k8s.ns.name': 'dev' }))).toBe(false);
    expect(f.matches(ev({}))).toBe(false);
    const g = compileFilter({ fields: { 'k8s.ns.name': { notin: 'kube-system,monitoring' } } }).filter;
    expect(g.matches(ev({ 'k8s.ns.name': 'prod' }))).toBe(true);
    expect(g.matches(ev({}))).toBe(true);
    expect(g.matches(ev({ 'k8s.ns.name': 'kube-system' }))).toBe(false);
  });

  it('glob', () => {
    const f = compileFilter({ fields: { 'container.image.repository': { glob: 'docker.io/*' } } }).filter;
    expect(f.matches(ev({ 'container.image.repository': 'docker.io/library/nginx' }))).toBe(true);
    expect(f.matches(ev({ 'container.image.repository': 'ghcr.io/x' }))).toBe(false);
  });

  it('exists true / false; null counts as absent', () => {
    const f = compileFilter({ fields: { 'k8s.pod.name': { exists: true } } }).filter;
    expect(f.matches(ev({ 'k8s.pod.name': 'web-1' }))).toBe(true);
    expect(f.matches(ev({ 'k8s.pod.name': null }))).toBe(false);
    expect(f.matches(ev({}))).toBe(false);
    const g = compileFilter({ fields: { 'k8s.pod.name': { exists: 'false' } } }).filter;
    expect(g.matches(ev({}))).toBe(true);
    expect(g.matches(ev({ 'k8s.pod.name': 'web-1' }))).toBe(false);
  });

  it('equals compares numbers by their exact text, 19 digits included', () => {
    const f = compileFilter({ fields: { 'user.uid': { equals: 0 } } }).filter;
    expect(f.matches(ev({ 'user.uid': 0 }))).toBe(true);
    expect(f.matches(ev({ 'user.uid': 1000 }))).toBe(false);
    const big = compileFilter({ fields: { 'evt.num': { equals: '1507591916746609046' } } }).filter;
    expect(big.matches(ev({ 'evt.num': new LosslessNumber('1507591916746609046') }))).toBe(true);
    expect(big.matches(ev({ 'evt.num': new LosslessNumber('1507591916746609047') }))).toBe(false);
  });

  it('reads own fields only, even from a plain object', () => {
    const f = compileFilter({
      fields: { constructor: { exists: true }, toString: { exists: false } },
    }).filter;
    expect(f.matches(testEvent({ output_fields: {} }))).toBe(false);
    expect(f.matches({ ...testEvent(), output_fields: { constructor: 'x' } })).toBe(true);
  });

  it('tests each element of a list value', () => {
    const f = compileFilter({ fields: { 'proc.aname': { in: ['sshd'] } } }).filter;
    expect(f.matches(ev({ 'proc.aname': ['bash', 'sshd'] }))).toBe(true);
    expect(f.matches(ev({ 'proc.aname': ['bash'] }))).toBe(false);
  });

  it('ANDs several fields and operators, describes them, reports unknown operators', () => {
    const f = compileFilter({
      fields: { 'k8s.ns.name': { in: ['prod'] }, 'k8s.pod.name': { exists: true } },
    }).filter;
    expect(f.matches(ev({ 'k8s.ns.name': 'prod', 'k8s.pod.name': 'p' }))).toBe(true);
    expect(f.matches(ev({ 'k8s.ns.name': 'prod' }))).toBe(false);
    expect(f.describe).toBe('k8s.ns.name in [prod] and k8s.pod.name exists');
    expect(compileFilter({ fields: { x: { like: 'a' }, y: 'a' } }).errors).toEqual([
      'filter.fields.x.like: unknown operator (expected in|notin|glob|exists|equals)',
      'filter.fields.y: expected { in | notin | glob | exists | equals: ... }',
    ]);
  });
});
