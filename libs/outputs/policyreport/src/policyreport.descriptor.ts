import { existsSync, readFileSync } from 'node:fs';
import { COMMON_SETTINGS, defineOutput, kubeconfigFile, setting } from '@falconer/outputs-core';
import { PolicyReportOutput } from './policyreport.output';

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export const POLICYREPORT_SETTINGS = {
  enabled: setting.bool('Enables the output', false),
  kubeconfig: setting.string('Kubeconfig file (when Falconer runs outside the cluster); empty = in-cluster'),
  falconamespace: setting.string(
    "Namespace for results of namespaces that do not exist; empty = Falconer's own (service account), else `default`",
  ),
  maxevents: setting.int('Most results kept per report; the oldest goes first', 1000, {
    min: 1,
    max: 100_000,
  }),
  prunebypriority: setting.bool(
    'When full, drop the oldest medium/low/info result before any high/critical one',
    false,
  ),
  ...COMMON_SETTINGS,
};

/** Falconer's namespace as falcosidekick finds it: the setting, the service account's, else `default`. */
function fallbackNamespace(configured: string): string {
  if (configured !== '') return configured;
  try {
    return readFileSync(`${SERVICE_ACCOUNT}/namespace`, 'utf8').trim() || 'default';
  } catch {
    return 'default';
  }
}

export const policyReportOutput = defineOutput({
  type: 'policyreport',
  title: 'Policy Report',
  section: 'policyreport',
  enabledBy: ['enabled'],
  settings: POLICYREPORT_SETTINGS,
  falcosidekick: 'outputs/policyreport.go',
  summary:
    "Writes each event as a result into wgpolicyk8s.io/v1alpha2 reports, as falcosidekick does: a PolicyReport `falco-policy-report` in the event's namespace (`k8s.ns.name` or `ka.target.namespace`), else the ClusterPolicyReport `falco-cluster-policy-report`; at most `maxevents` results each.",
  example: `policyreport:
  enabled: true
  maxevents: 1000
  prunebypriority: true
  minimumpriority: warning`,
  create: (values, ctx) => {
    const kubeconfig = kubeconfigFile(values.kubeconfig, ctx);
    if (kubeconfig === '' && !existsSync(`${SERVICE_ACCOUNT}/token`)) {
      ctx.error('kubeconfig', 'not running in a Kubernetes pod (no service account token): set a kubeconfig');
    }
    return new PolicyReportOutput(ctx.name, ctx.type, {
      kubeconfig,
      maxEvents: values.maxevents,
      pruneByPriority: values.prunebypriority,
      fallbackNamespace: fallbackNamespace(values.falconamespace),
      // one read-modify-write of a report per batch instead of one per event
      batch: { maxEvents: 100, flushIntervalMs: 500 },
    });
  },
});
