import type { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { FalcoEvent } from '@falconer/contracts';
import {
  resultForStatus,
  safeExcerpt,
  type BatchPolicy,
  type Output,
  type SendFailure,
  type SendResult,
  untilAborted,
} from '@falconer/outputs-core';
import {
  appendResults,
  GROUP,
  namespaceOf,
  newReport,
  policyResult,
  POLICY_REPORT_NAME,
  CLUSTER_POLICY_REPORT_NAME,
  summaryOf,
  VERSION,
  type PolicyReport,
  type PolicyReportResult,
} from './policyreport.format';

export interface PolicyReportConfig {
  maxEvents: number;
  pruneByPriority: boolean;
  /** Where results of a namespace that does not exist go (falconamespace, or Falconer's own). */
  fallbackNamespace: string;
  batch: BatchPolicy;
  /** Kubeconfig file; empty = the pod's service account (in-cluster). */
  kubeconfig: string;
}

interface Clients {
  custom: CustomObjectsApi;
  core: CoreV1Api;
}

/** The HTTP status of a Kubernetes client ApiException (duck-typed: the client is loaded lazily). */
function apiStatus(err: unknown): number | undefined {
  const e = err as { code?: unknown; body?: unknown } | undefined;
  return e !== undefined && e !== null && typeof e.code === 'number' && 'body' in e ? e.code : undefined;
}

/** A failure of one Kubernetes call, classified like an HTTP answer (409 Conflict: retried). */
function failure(err: unknown, what: string): SendFailure {
  const code = apiStatus(err);
  if (code !== undefined) {
    const body = (err as { body: unknown }).body;
    const detail = safeExcerpt(
      `${what}: HTTP ${code} ${typeof body === 'string' ? body : JSON.stringify(body)}`,
      [],
      400,
    );
    if (code === 409) return { ok: false, retryable: true, reason: 'client_error', detail };
    return (
      resultForStatus({ status: code, detail }) ?? {
        ok: false,
        retryable: true,
        reason: 'server_error',
        detail,
      }
    );
  }
  const e = err as NodeJS.ErrnoException | undefined;
  return {
    ok: false,
    retryable: true,
    reason: 'network',
    detail: safeExcerpt(`${what}: ${e?.code ?? ''} ${e?.message ?? String(err)}`.trim(), [], 400),
  };
}

/**
 * Keeps falcosidekick's reports — one PolicyReport `falco-policy-report` per namespace, one
 * ClusterPolicyReport `falco-cluster-policy-report` — up to date: read, append, rotate at `maxevents`,
 * replace (optimistic concurrency on resourceVersion; a Conflict is retried by the delivery layer).
 * A batch is one read-modify-write per report. Writes to one report are serialised in this instance.
 */
export class PolicyReportOutput implements Output {
  readonly batch: BatchPolicy;
  private clients: Promise<Clients> | undefined;
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: PolicyReportConfig,
  ) {
    this.batch = config.batch;
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    // group by report, keeping each event's index
    const groups = new Map<string, number[]>();
    for (let i = 0; i < batch.length; i++) {
      const ns = namespaceOf(batch[i] as FalcoEvent);
      groups.set(ns, [...(groups.get(ns) ?? []), i]);
    }
    const failed: number[] = [];
    const rejected: number[] = [];
    let first: SendFailure | undefined;
    for (const [ns, idx] of groups) {
      const results = idx.map((i) => policyResult(batch[i] as FalcoEvent));
      const r = await untilAborted(
        this.serialised(ns, () => this.write(ns, results)),
        signal,
        'Kubernetes API call',
      );
      if (!r.ok) {
        first ??= r;
        (r.retryable ? failed : rejected).push(...idx);
      }
    }
    if (first === undefined) return { ok: true };
    if (groups.size === 1) return first;
    return { ...first, retryable: failed.length > 0, failedIndexes: failed, rejectedIndexes: rejected };
  }

  /**
   * The Kubernetes client is loaded on the first send (importing it costs seconds and tens of MB):
   * a router without this output does not pay for it. The kubeconfig was checked at start.
   */
  private api(): Promise<Clients> {
    this.clients ??= import('@kubernetes/client-node').then((k) => {
      const kc = new k.KubeConfig();
      if (this.config.kubeconfig !== '') kc.loadFromFile(this.config.kubeconfig);
      else kc.loadFromCluster();
      return { custom: kc.makeApiClient(k.CustomObjectsApi), core: kc.makeApiClient(k.CoreV1Api) };
    });
    const clients = this.clients;
    clients.catch(() => {
      if (this.clients === clients) this.clients = undefined;
    });
    return clients;
  }

  private serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return next;
  }

  private async write(namespace: string, results: PolicyReportResult[]): Promise<SendResult> {
    let api: Clients;
    try {
      api = await this.api();
    } catch (err) {
      return {
        ok: false,
        retryable: false,
        reason: 'client_error',
        detail: safeExcerpt(`Kubernetes client: ${(err as Error).message}`, [], 400),
      };
    }
    const { custom, core } = api;
    let ns: string | undefined = namespace === '' ? undefined : namespace;
    if (ns !== undefined) {
      try {
        await core.readNamespace({ name: ns });
      } catch (err) {
        // falcosidekick: a namespace that does not exist sends its results to Falco's namespace
        if (apiStatus(err) === 404) {
          const fallback = this.config.fallbackNamespace;
          for (const r of results) for (const s of r.resources ?? []) s.namespace = fallback;
          ns = fallback;
        }
      }
    }
    const where =
      ns === undefined
        ? `clusterpolicyreport ${CLUSTER_POLICY_REPORT_NAME}`
        : `policyreport ${ns}/${POLICY_REPORT_NAME}`;
    let current: PolicyReport | undefined;
    try {
      current = (await (ns === undefined
        ? custom.getClusterCustomObject({
            group: GROUP,
            version: VERSION,
            plural: 'clusterpolicyreports',
            name: CLUSTER_POLICY_REPORT_NAME,
          })
        : custom.getNamespacedCustomObject({
            group: GROUP,
            version: VERSION,
            namespace: ns,
            plural: 'policyreports',
            name: POLICY_REPORT_NAME,
          }))) as PolicyReport;
    } catch (err) {
      if (!(apiStatus(err) === 404)) return failure(err, `get ${where}`);
    }
    const report = current ?? newReport(ns);
    report.results = appendResults(
      report.results ?? [],
      results,
      this.config.maxEvents,
      this.config.pruneByPriority,
    );
    report.summary = summaryOf(report.results);
    try {
      if (current === undefined) {
        // AlreadyExists (another writer created it meanwhile) is a 409: retried, and then found
        await (ns === undefined
          ? custom.createClusterCustomObject({
              group: GROUP,
              version: VERSION,
              plural: 'clusterpolicyreports',
              body: report,
            })
          : custom.createNamespacedCustomObject({
              group: GROUP,
              version: VERSION,
              namespace: ns,
              plural: 'policyreports',
              body: report,
            }));
      } else {
        await (ns === undefined
          ? custom.replaceClusterCustomObject({
              group: GROUP,
              version: VERSION,
              plural: 'clusterpolicyreports',
              name: CLUSTER_POLICY_REPORT_NAME,
              body: report,
            })
          : custom.replaceNamespacedCustomObject({
              group: GROUP,
              version: VERSION,
              namespace: ns,
              plural: 'policyreports',
              name: POLICY_REPORT_NAME,
              body: report,
            }));
      }
    } catch (err) {
      return failure(err, `${current === undefined ? 'create' : 'replace'} ${where}`);
    }
    return { ok: true };
  }
}
