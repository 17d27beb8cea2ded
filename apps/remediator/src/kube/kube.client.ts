import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1NetworkPolicy,
  type V1OwnerReference,
} from '@kubernetes/client-node';
import type { KubeSettings } from '../config/remediator.config';

export interface OwnerRef {
  kind: string;
  name: string;
}

export interface PodInfo {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** The controlling owner (ownerReferences with controller: true), if any. */
  owner?: OwnerRef;
}

/** The workload that keeps a pod's replicas: desired count and how many are ready now. */
export interface WorkloadScale {
  kind: string;
  name: string;
  desired: number;
  ready: number;
}

/** What was asked of the API, so a 403 can name the missing permission. */
export interface KubeCall {
  verb: 'get' | 'delete' | 'patch' | 'create';
  /** Plural resource with its group: `pods`, `replicasets.apps`, `networkpolicies.networking.k8s.io`. */
  resource: string;
  namespace: string;
  name: string;
}

/** An error answer (or no answer) of the Kubernetes API. */
export class KubeApiError extends Error {
  constructor(
    readonly call: KubeCall,
    /** HTTP status; undefined when the API could not be reached. */
    readonly status: number | undefined,
    /** The Status object's `reason` (NotFound, Forbidden, Conflict…) or the network error code. */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  /** The RBAC rule that would have allowed the call. */
  get permission(): string {
    return `${this.call.verb} ${this.call.resource} in namespace ${this.call.namespace}`;
  }
}

/** The handful of Kubernetes operations the remediator uses. */
export interface KubeClient {
  getPod(namespace: string, name: string): Promise<PodInfo>;
  /** Resolves a pod owner to the workload that scales it (ReplicaSet → its Deployment). */
  getWorkloadScale(namespace: string, owner: OwnerRef): Promise<WorkloadScale>;
  deletePod(namespace: string, name: string, gracePeriodSeconds?: number): Promise<void>;
  labelPod(namespace: string, name: string, labels: Record<string, string>): Promise<void>;
  /** Creates the policy; `exists` when one of that name is already there (409). */
  createNetworkPolicy(namespace: string, policy: V1NetworkPolicy): Promise<'created' | 'exists'>;
}

export function loadKubeConfig(settings: KubeSettings): KubeConfig {
  const kc = new KubeConfig();
  if (settings.kubeconfig !== '') kc.loadFromFile(settings.kubeconfig);
  else if (settings.inCluster) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

function controller(refs: readonly V1OwnerReference[] | undefined): OwnerRef | undefined {
  const ref = refs?.find((r) => r.controller === true) ?? refs?.[0];
  return ref === undefined ? undefined : { kind: ref.kind, name: ref.name };
}

const OWNER_RESOURCES: Record<string, string> = {
  ReplicaSet: 'replicasets.apps',
  Deployment: 'deployments.apps',
  StatefulSet: 'statefulsets.apps',
};

/** `@kubernetes/client-node` behind the KubeClient interface, with a timeout and readable errors. */
export class NodeKubeClient implements KubeClient {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly net: NetworkingV1Api;

  constructor(
    kc: KubeConfig,
    private readonly timeoutMs: number,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.net = kc.makeApiClient(NetworkingV1Api);
  }

  async getPod(namespace: string, name: string): Promise<PodInfo> {
    const pod = await this.call({ verb: 'get', resource: 'pods', namespace, name }, () =>
      this.core.readNamespacedPod({ name, namespace }),
    );
    const info: PodInfo = { namespace, name, labels: { ...(pod.metadata?.labels ?? {}) } };
    const owner = controller(pod.metadata?.ownerReferences);
    if (owner !== undefined) info.owner = owner;
    return info;
  }

  async getWorkloadScale(namespace: string, owner: OwnerRef): Promise<WorkloadScale> {
    const resource = OWNER_RESOURCES[owner.kind];
    if (resource === undefined) throw new Error(`cannot read replicas of a ${owner.kind}`);
    const call: KubeCall = { verb: 'get', resource, namespace, name: owner.name };
    switch (owner.kind) {
      case 'ReplicaSet': {
        const rs = await this.call(call, () =>
          this.apps.readNamespacedReplicaSet({ name: owner.name, namespace }),
        );
        const parent = controller(rs.metadata?.ownerReferences);
        // A Deployment's pods are counted against the Deployment: during a rollout one ReplicaSet alone
        // says little about how many replicas would stay healthy.
        if (parent?.kind === 'Deployment') return this.getWorkloadScale(namespace, parent);
        return {
          kind: 'ReplicaSet',
          name: owner.name,
          desired: rs.spec?.replicas ?? 1,
          ready: rs.status?.readyReplicas ?? 0,
        };
      }
      case 'Deployment': {
        const d = await this.call(call, () =>
          this.apps.readNamespacedDeployment({ name: owner.name, namespace }),
        );
        return {
          kind: 'Deployment',
          name: owner.name,
          desired: d.spec?.replicas ?? 1,
          ready: d.status?.readyReplicas ?? 0,
        };
      }
      default: {
        const s = await this.call(call, () =>
          this.apps.readNamespacedStatefulSet({ name: owner.name, namespace }),
        );
        return {
          kind: 'StatefulSet',
          name: owner.name,
          desired: s.spec?.replicas ?? 1,
          ready: s.status?.readyReplicas ?? 0,
        };
      }
    }
  }

  async deletePod(namespace: string, name: string, gracePeriodSeconds?: number): Promise<void> {
    await this.call({ verb: 'delete', resource: 'pods', namespace, name }, () =>
      this.core.deleteNamespacedPod(
        gracePeriodSeconds === undefined ? { name, namespace } : { name, namespace, gracePeriodSeconds },
      ),
    );
  }

  async labelPod(namespace: string, name: string, labels: Record<string, string>): Promise<void> {
    await this.call({ verb: 'patch', resource: 'pods', namespace, name }, () =>
      this.core.patchNamespacedPod(
        { name, namespace, body: { metadata: { labels } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  async createNetworkPolicy(namespace: string, policy: V1NetworkPolicy): Promise<'created' | 'exists'> {
    const call: KubeCall = {
      verb: 'create',
      resource: 'networkpolicies.networking.k8s.io',
      namespace,
      name: policy.metadata?.name ?? '',
    };
    try {
      await this.call(call, () => this.net.createNamespacedNetworkPolicy({ namespace, body: policy }));
      return 'created';
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409) return 'exists';
      throw err;
    }
  }

  private async call<T>(call: KubeCall, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new KubeApiError(
              call,
              undefined,
              'Timeout',
              `no answer from the Kubernetes API within ${this.timeoutMs} ms`,
            ),
          ),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([fn(), timeout]);
    } catch (err) {
      throw toKubeError(call, err);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
}

function parseStatus(body: unknown): StatusBody | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' ? value : undefined;
}

const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

export function toKubeError(call: KubeCall, err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  if (err instanceof ApiException) {
    const code = (err as ApiException<unknown>).code;
    const status = parseStatus((err as ApiException<unknown>).body);
    const reason = status?.reason ?? REASON_BY_CODE[code] ?? `HTTP${code}`;
    const message = status?.message ?? `HTTP ${code}`;
    return new KubeApiError(call, code, reason, message);
  }
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'NetworkError';
  const message = typeof e.message === 'string' ? e.message : String(err);
  return new KubeApiError(call, undefined, code, `Kubernetes API unreachable: ${message}`);
}
