import type { FalcoEvent, FieldValue } from '@falconer/contracts';
import type { ResponseRule } from '../rules/rules';

/** The pod an action is about. */
export interface Target {
  namespace: string;
  pod: string;
}

const NOT_SET = new Set(['', '<NA>', 'null', 'N/A']);
// Kubernetes object names: a pod is a DNS subdomain, a namespace a DNS label. Anything else never
// reaches a URL path.
const POD_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const NS_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function fieldText(v: FieldValue | undefined): string | undefined {
  if (v === undefined || v === null || Array.isArray(v)) return undefined;
  const s = String(v).trim();
  return NOT_SET.has(s) ? undefined : s;
}

/** Which fields name the target: Falco's own (`k8s.*`) or a Kubernetes audit event's (`ka.target.*`). */
export type TargetFields = 'k8s' | 'ka';

/**
 * The fields a rule's match scopes it by: a rule that matches `ka.target.namespace` acts only on the
 * object `ka.target.*` names, never on the pod `k8s.*` of the same event names (issue 20, finding 4).
 */
export function scopeOf(rule: ResponseRule): TargetFields | undefined {
  const keys = Object.keys(rule.match.fields ?? {});
  if (keys.some((k) => k.startsWith('ka.target.'))) return 'ka';
  if (keys.some((k) => k.startsWith('k8s.'))) return 'k8s';
  return undefined;
}

/**
 * The pod an event is about: from the fields the rule is scoped by; for an unscoped rule
 * `k8s.pod.name`/`k8s.ns.name`, else the target of a Kubernetes audit event — and no target at all when
 * both name a namespace and they differ (which one the rule meant is unknown).
 */
export function resolveTarget(
  event: FalcoEvent,
  scope?: TargetFields,
): {
  target?: Target;
  partial: { namespace?: string; pod?: string };
  problem?: string;
} {
  const f = event.output_fields;
  const auditResource = fieldText(f['ka.target.resource']);
  // ka.target.name names a pod only when the audited resource is a pod
  const kaPod =
    auditResource === undefined || auditResource === 'pods' ? fieldText(f['ka.target.name']) : undefined;
  const kaNs = fieldText(f['ka.target.namespace']);
  const k8sPod = fieldText(f['k8s.pod.name']);
  const k8sNs = fieldText(f['k8s.ns.name']);
  let pod: string | undefined;
  let namespace: string | undefined;
  if (scope === 'ka') {
    pod = kaPod;
    namespace = kaNs;
  } else if (scope === 'k8s') {
    pod = k8sPod;
    namespace = k8sNs;
  } else {
    pod = k8sPod ?? kaPod;
    namespace = k8sNs ?? kaNs;
  }
  const partial: { namespace?: string; pod?: string } = {};
  if (namespace !== undefined) partial.namespace = namespace;
  if (pod !== undefined) partial.pod = pod;
  if (scope === undefined && k8sNs !== undefined && kaNs !== undefined && k8sNs !== kaNs)
    return {
      partial,
      problem: `no target: k8s.ns.name (${k8sNs}) and ka.target.namespace (${kaNs}) differ; scope the rule by one of them`,
    };
  if (pod === undefined || namespace === undefined) {
    const missing = [pod === undefined ? 'pod name' : '', namespace === undefined ? 'namespace' : '']
      .filter((s) => s !== '')
      .join(' and ');
    const where =
      scope === 'ka'
        ? 'ka.target.*'
        : scope === 'k8s'
          ? 'k8s.pod.name/k8s.ns.name'
          : 'k8s.pod.name/k8s.ns.name or ka.target.*';
    return { partial, problem: `no target: the event has no ${missing} (${where})` };
  }
  if (!POD_NAME.test(pod)) return { partial, problem: `no target: "${pod}" is not a valid pod name` };
  if (!NS_NAME.test(namespace))
    return { partial, problem: `no target: "${namespace}" is not a valid namespace name` };
  return { target: { namespace, pod }, partial };
}
