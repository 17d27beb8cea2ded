import type { FalcoEvent, Priority } from '@falconer/contracts';
import { goPrint as goValue, parseEventTime } from '@falconer/outputs-core';

export const GROUP = 'wgpolicyk8s.io';
export const VERSION = 'v1alpha2';
export const POLICY_REPORT_NAME = 'falco-policy-report';
export const CLUSTER_POLICY_REPORT_NAME = 'falco-cluster-policy-report';
/** falcosidekick's label: kept so a report it started is continued, not duplicated. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'falcosidekick' } as const;

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type ResultKind = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  apiVersion?: string;
}

/** A v1alpha2 PolicyReportResult, with the JSON names of its Go struct. */
export interface PolicyReportResult {
  source: string;
  policy: string;
  rule: string;
  category: string;
  severity: Severity;
  timestamp: { seconds: number; nanos: number };
  result: ResultKind;
  resources?: ObjectReference[];
  message: string;
  properties: Record<string, string>;
}

export interface PolicyReportSummary {
  pass: number;
  fail: number;
  warn: number;
  error: number;
  skip: number;
}

export interface PolicyReport {
  apiVersion: string;
  kind: 'PolicyReport' | 'ClusterPolicyReport';
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string };
  summary: PolicyReportSummary;
  results: PolicyReportResult[];
  [k: string]: unknown;
}

/** falcosidekick's resource mapping of the k8saudit ruleset (`ka.target.resource` → kind). */
const RESOURCES: Readonly<Record<string, { apiVersion: string; kind: string }>> = {
  pods: { apiVersion: 'v1', kind: 'Pod' },
  services: { apiVersion: 'v1', kind: 'Service' },
  secrets: { apiVersion: 'v1', kind: 'Secret' },
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap' },
  namespaces: { apiVersion: 'v1', kind: 'Namespace' },
  serviceaccounts: { apiVersion: 'v1', kind: 'ServiceAccount' },
  daemonsets: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment' },
  statefulsets: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  cronjobs: { apiVersion: 'batch/v1', kind: 'CronJob' },
  jobs: { apiVersion: 'batch/v1', kind: 'Job' },
  clusterroles: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  clusterrolebindings: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  roles: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  rolebindings: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
};

const RESULT: Readonly<Record<Priority, ResultKind>> = {
  Emergency: 'fail',
  Alert: 'fail',
  Critical: 'fail',
  Error: 'fail',
  Warning: 'warn',
  Notice: 'skip',
  Informational: 'skip',
  Debug: 'skip',
};

const SEVERITY: Readonly<Record<Priority, Severity>> = {
  Emergency: 'critical',
  Alert: 'critical',
  Critical: 'critical',
  Error: 'high',
  Warning: 'medium',
  Notice: 'low',
  Informational: 'info',
  Debug: 'info',
};

const field = (e: FalcoEvent, k: string): string | undefined => {
  const v = e.output_fields[k];
  return v === null || v === undefined ? undefined : goValue(v);
};

/** The namespace a result belongs to (`k8s.ns.name`, else `ka.target.namespace`); empty = the cluster report. */
export function namespaceOf(e: FalcoEvent): string {
  return field(e, 'k8s.ns.name') ?? field(e, 'ka.target.namespace') ?? '';
}

function subjects(e: FalcoEvent): ObjectReference[] | undefined {
  let name: string | undefined;
  let resource: string | undefined;
  const pod = field(e, 'k8s.pod.name');
  if (pod !== undefined) [name, resource] = [pod, 'pods'];
  else {
    resource = field(e, 'ka.target.resource');
    if (resource !== undefined) name = field(e, 'ka.target.name') ?? field(e, 'ka.resp.name');
  }
  if (name === undefined || name === '' || resource === undefined || resource === '') return undefined;
  const ns = namespaceOf(e);
  const r = RESOURCES[resource];
  // Go's ObjectReference omits empty fields
  return [
    {
      ...(r ? { kind: r.kind } : {}),
      ...(ns !== '' ? { namespace: ns } : {}),
      name,
      ...(r ? { apiVersion: r.apiVersion } : {}),
    },
  ];
}

/** One result for one event: falcosidekick's `newResult` (outputs/policyreport.go). */
export function policyResult(e: FalcoEvent): PolicyReportResult {
  const properties: Record<string, string> = {};
  for (const k of Object.keys(e.output_fields).sort()) properties[k] = goValue(e.output_fields[k]);
  const t = parseEventTime(e.time);
  const seconds = t === undefined ? 0 : Number(t.epochNs / 1_000_000_000n);
  const nanos = t === undefined ? 0 : Number(t.epochNs % 1_000_000_000n);
  const resources = subjects(e);
  return {
    source: 'Falco',
    policy: e.source,
    rule: e.rule,
    category: 'SI - System and Information Integrity',
    severity: SEVERITY[e.priority],
    timestamp: { seconds, nanos },
    result: RESULT[e.priority],
    ...(resources ? { resources } : {}),
    message: e.output,
    properties,
  };
}

export function summaryOf(results: readonly PolicyReportResult[]): PolicyReportSummary {
  const s: PolicyReportSummary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) s[r.result]++;
  return s;
}

const LOW: ReadonlySet<Severity> = new Set(['medium', 'low', 'info']);

/**
 * Appends results and rotates at `maxEvents`: the oldest result goes — or, with `pruneByPriority`, the
 * oldest of severity medium/low/info (the oldest of all when every one is high or critical).
 */
export function appendResults(
  existing: readonly PolicyReportResult[],
  added: readonly PolicyReportResult[],
  maxEvents: number,
  pruneByPriority: boolean,
): PolicyReportResult[] {
  const out = [...existing];
  for (const r of added) {
    out.push(r);
    while (out.length > maxEvents) {
      const low = pruneByPriority ? out.findIndex((x) => LOW.has(x.severity)) : -1;
      out.splice(low >= 0 ? low : 0, 1);
    }
  }
  return out;
}

/** A new, empty report object (falcosidekick's newPolicyReport / newClusterPolicyReport). */
export function newReport(namespace: string | undefined): PolicyReport {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: namespace === undefined ? 'ClusterPolicyReport' : 'PolicyReport',
    metadata: {
      name: namespace === undefined ? CLUSTER_POLICY_REPORT_NAME : POLICY_REPORT_NAME,
      ...(namespace !== undefined ? { namespace } : {}),
      labels: { ...MANAGED_BY },
    },
    summary: summaryOf([]),
    results: [],
  };
}
