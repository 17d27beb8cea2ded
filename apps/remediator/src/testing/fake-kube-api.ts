import { FakeKubeServer, kubeStatus, type KubeCall, type KubeReply } from '@falconer/testing';

/**
 * A local stand-in for the Kubernetes API server (none can run on the development machines): it answers
 * the endpoints the remediator uses, like the real API does — objects on success, `Status` objects with
 * the real reasons and messages on failure — and records every call.
 */

export interface FakeOwner {
  kind: string;
  name: string;
}
export interface FakePod {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  owner?: FakeOwner;
}
export interface FakeWorkload {
  kind: 'ReplicaSet' | 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  replicas: number;
  readyReplicas: number;
  owner?: FakeOwner;
}

/** One request the fake API answered. */
export type KubeCallRecord = KubeCall;

type Verb = 'get' | 'list' | 'delete' | 'patch' | 'create';

const KIND_TO_PLURAL: Record<string, string> = {
  ReplicaSet: 'replicasets',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

export class FakeKubeApi extends FakeKubeServer {
  readonly pods = new Map<string, FakePod>();
  readonly workloads = new Map<string, FakeWorkload>();
  readonly networkPolicies = new Map<string, Record<string, unknown>>();
  /** `verb resource` pairs (e.g. `delete pods`) the service account may not do: answered 403. */
  readonly forbidden = new Set<string>();
  /** Status code of a successful pod DELETE: 200 (the pod, being terminated) or 202. */
  deleteStatus: 200 | 202 = 200;
  /**
   * Graceful deletion: the pod stays (Terminating, with a deletionTimestamp) after a successful DELETE, as
   * it does in a real cluster during its grace period; a second DELETE is accepted again.
   */
  keepDeletedPods = false;
  serviceAccount = 'system:serviceaccount:falconer:falconer-remediator';

  static async start(): Promise<FakeKubeApi> {
    const api = new FakeKubeApi();
    await api.listen();
    return api;
  }

  addPod(pod: FakePod): this {
    this.pods.set(`${pod.namespace}/${pod.name}`, pod);
    return this;
  }

  addWorkload(w: FakeWorkload): this {
    this.workloads.set(`${KIND_TO_PLURAL[w.kind] ?? ''}/${w.namespace}/${w.name}`, w);
    return this;
  }

  /** A pod of a Deployment (through its ReplicaSet) with the given replica counts. */
  addDeploymentPod(
    namespace: string,
    deployment: string,
    pod: string,
    replicas = 3,
    readyReplicas = replicas,
    labels: Record<string, string> = {},
  ): this {
    const rs = `${deployment}-6d4cf56db6`;
    this.addWorkload({ kind: 'Deployment', namespace, name: deployment, replicas, readyReplicas });
    this.addWorkload({
      kind: 'ReplicaSet',
      namespace,
      name: rs,
      replicas,
      readyReplicas,
      owner: { kind: 'Deployment', name: deployment },
    });
    return this.addPod({
      namespace,
      name: pod,
      labels: { app: deployment, ...labels },
      owner: { kind: 'ReplicaSet', name: rs },
    });
  }

  /** Calls that would change the cluster (anything but GET). */
  get mutatingCalls(): KubeCallRecord[] {
    return this.calls.filter((c) => c.method !== 'GET');
  }

  callsTo(method: string, path: string): KubeCallRecord[] {
    return this.calls.filter((c) => c.method === method && c.path === path);
  }

  protected handle(call: KubeCall): KubeReply {
    const { method, contentType, body } = call;
    const send = (status: number, obj: unknown): KubeReply => ({ status, body: obj });
    let m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(call.path);
    if (m !== null) {
      const [ns, name] = [decodeURIComponent(m[1] as string), decodeURIComponent(m[2] as string)];
      const verb: Verb | undefined =
        method === 'GET' ? 'get' : method === 'DELETE' ? 'delete' : method === 'PATCH' ? 'patch' : undefined;
      if (verb === undefined)
        return send(
          405,
          kubeStatus(
            405,
            'MethodNotAllowed',
            `the server does not allow this method on the requested resource`,
          ),
        );
      if (this.forbidden.has(`${verb} pods`))
        return send(403, this.forbiddenStatus(verb, 'pods', '', ns, name));
      const key = `${ns}/${name}`;
      const pod = this.pods.get(key);
      if (pod === undefined)
        return send(404, kubeStatus(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
      if (verb === 'get') return send(200, podObject(pod));
      if (verb === 'delete') {
        if (!this.keepDeletedPods) this.pods.delete(key);
        return send(this.deleteStatus, {
          ...podObject(pod),
          metadata: { ...podObject(pod).metadata, deletionTimestamp: new Date().toISOString() },
        });
      }
      if (
        !String(contentType).startsWith('application/merge-patch+json') &&
        !String(contentType).startsWith('application/strategic-merge-patch+json')
      ) {
        return send(
          415,
          kubeStatus(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          ),
        );
      }
      const labels =
        (body as { metadata?: { labels?: Record<string, string | null> } } | undefined)?.metadata?.labels ??
        {};
      const next = { ...(pod.labels ?? {}) };
      for (const [k, v] of Object.entries(labels)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      pod.labels = next;
      return send(200, podObject(pod));
    }

    m =
      /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(replicasets|deployments|statefulsets|daemonsets)\/([^/]+)$/.exec(
        call.path,
      );
    if (m !== null) {
      const [ns, plural, name] = [m[1] as string, m[2] as string, decodeURIComponent(m[3] as string)];
      if (method !== 'GET')
        return send(
          405,
          kubeStatus(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          ),
        );
      if (this.forbidden.has(`get ${plural}`))
        return send(403, this.forbiddenStatus('get', plural, 'apps', ns, name));
      const w = this.workloads.get(`${plural}/${ns}/${name}`);
      if (w === undefined)
        return send(
          404,
          kubeStatus(404, 'NotFound', `${plural}.apps "${name}" not found`, {
            name,
            group: 'apps',
            kind: plural,
          }),
        );
      return send(200, workloadObject(w));
    }

    m = /^\/apis\/networking\.k8s\.io\/v1\/namespaces\/([^/]+)\/networkpolicies$/.exec(call.path);
    if (m !== null && method === 'POST') {
      const ns = m[1] as string;
      const policy = body as { metadata?: { name?: string } } | undefined;
      const name = policy?.metadata?.name ?? '';
      if (this.forbidden.has('create networkpolicies')) {
        return send(403, this.forbiddenStatus('create', 'networkpolicies', 'networking.k8s.io', ns));
      }
      const key = `${ns}/${name}`;
      if (this.networkPolicies.has(key)) {
        return send(
          409,
          kubeStatus(409, 'AlreadyExists', `networkpolicies.networking.k8s.io "${name}" already exists`, {
            name,
            group: 'networking.k8s.io',
            kind: 'networkpolicies',
          }),
        );
      }
      const stored = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        ...(policy as object),
        metadata: { ...(policy?.metadata ?? {}), namespace: ns },
      };
      this.networkPolicies.set(key, stored);
      return send(201, stored);
    }

    return send(404, kubeStatus(404, 'NotFound', 'the server could not find the requested resource'));
  }

  private forbiddenStatus(
    verb: Verb,
    plural: string,
    group: string,
    ns: string,
    name?: string,
  ): Record<string, unknown> {
    const subject =
      name === undefined
        ? `${plural}${group === '' ? '' : '.' + group}`
        : `${plural}${group === '' ? '' : '.' + group} "${name}"`;
    return kubeStatus(
      403,
      'Forbidden',
      `${subject} is forbidden: User "${this.serviceAccount}" cannot ${verb} resource "${plural}" in API group "${group}" in the namespace "${ns}"`,
      { ...(name === undefined ? {} : { name }), ...(group === '' ? {} : { group }), kind: plural },
    );
  }
}

function ownerReferences(owner: FakeOwner | undefined): unknown[] | undefined {
  if (owner === undefined) return undefined;
  const apiVersion = 'apps/v1';
  return [
    {
      apiVersion,
      kind: owner.kind,
      name: owner.name,
      uid: `uid-${owner.name}`,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
}

function podObject(pod: FakePod): {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: unknown;
  status: unknown;
} {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      uid: `uid-${pod.name}`,
      labels: pod.labels ?? {},
      ...(pod.owner === undefined ? {} : { ownerReferences: ownerReferences(pod.owner) }),
    },
    spec: { containers: [{ name: 'main', image: 'docker.io/library/nginx:1.27' }] },
    status: { phase: 'Running' },
  };
}

function workloadObject(w: FakeWorkload): unknown {
  const status =
    w.kind === 'DaemonSet'
      ? { desiredNumberScheduled: w.replicas, numberReady: w.readyReplicas }
      : { replicas: w.replicas, readyReplicas: w.readyReplicas, availableReplicas: w.readyReplicas };
  return {
    apiVersion: 'apps/v1',
    kind: w.kind,
    metadata: {
      name: w.name,
      namespace: w.namespace,
      uid: `uid-${w.name}`,
      ...(w.owner === undefined ? {} : { ownerReferences: ownerReferences(w.owner) }),
    },
    spec:
      w.kind === 'DaemonSet'
        ? { selector: { matchLabels: { app: w.name } } }
        : { replicas: w.replicas, selector: { matchLabels: { app: w.name } } },
    status,
  };
}
