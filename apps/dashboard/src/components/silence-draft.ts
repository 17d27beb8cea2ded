import type { CreateSilenceRequest, FalcoEvent } from '@falconer/contracts';
import { namespaceOf } from '../api/events';

/** What the silence form edits; empty texts are "any". */
export interface SilenceDraft {
  rule: string;
  hostname: string;
  namespace: string;
  outputs: string[];
  duration: string;
  comment: string;
}

export const EMPTY_DRAFT: SilenceDraft = {
  rule: '',
  hostname: '',
  namespace: '',
  outputs: [],
  duration: '1h',
  comment: '',
};

export interface SilencePreset {
  key: 'host' | 'namespace';
  label: string;
  draft: SilenceDraft;
}

/** The presets offered from an event's detail: this rule on this host, or in this namespace, for 1 h. */
export function presetsFor(event: FalcoEvent): SilencePreset[] {
  const base = { ...EMPTY_DRAFT, rule: event.rule };
  const out: SilencePreset[] = [];
  if (event.hostname !== '')
    out.push({
      key: 'host',
      label: `This rule on ${event.hostname}`,
      draft: { ...base, hostname: event.hostname },
    });
  const ns = namespaceOf(event);
  if (ns !== '')
    out.push({ key: 'namespace', label: `This rule in namespace ${ns}`, draft: { ...base, namespace: ns } });
  return out;
}

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;

/** What keeps the draft from being sent (the router checks again and has the last word). */
export function draftProblems(d: SilenceDraft): string[] {
  const problems: string[] = [];
  if (d.rule.trim() === '' && d.hostname.trim() === '' && d.namespace.trim() === '')
    problems.push('Give at least a rule, a host or a namespace.');
  if (!DURATION.test(d.duration.trim()))
    problems.push('Duration: a number and a unit, such as 30m, 1h or 2d.');
  return problems;
}

/** The API body: each given text becomes one condition of the routing filter language. */
export function toRequest(d: SilenceDraft): CreateSilenceRequest {
  const filter: Record<string, unknown> = {};
  if (d.rule.trim() !== '') filter['rules'] = { include: [d.rule.trim()] };
  if (d.hostname.trim() !== '') filter['hostnames'] = [d.hostname.trim()];
  if (d.namespace.trim() !== '') filter['fields'] = { 'k8s.ns.name': { in: [d.namespace.trim()] } };
  return {
    filter,
    ...(d.outputs.length > 0 ? { outputs: d.outputs } : {}),
    duration: d.duration.trim(),
    ...(d.comment.trim() !== '' ? { comment: d.comment.trim() } : {}),
  };
}
