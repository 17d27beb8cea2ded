import type { Logger } from 'pino';
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { FalcoEvent, RemediationOutcome, RemediationRecord } from '@falconer/contracts';
import type { AuditLog } from '../audit/audit.log';
import { KubeApiError, type KubeClient, type PodInfo } from '../kube/kube.client';
import type { RemediatorMetrics } from '../metrics/remediator.metrics';
import type { Reporter } from '../report/router.reporter';
import { selectRules } from '../rules/rule-matcher';
import type { NetworkPolicyParams, ResponseRule, RuleAction, TerminateParams } from '../rules/rules';
import { MemoryActionLimits, type ActionLimits, type Refusal } from './limits';
import { resolveTarget, scopeOf, type Target } from './target';

const MAX_REASON = 1000;

/** Pods carrying this label are never touched. */
export const OPT_OUT_LABEL = 'falconer.io/remediation';
export const OPT_OUT_VALUE = 'disabled';

export interface EngineSettings {
  dryRun: boolean;
  denyNamespaces: readonly string[];
  cooldownMs: number;
  rateLimit: { max: number; windowMs: number; text: string };
}

/** Machine-readable cause of a decision (metrics label); the record's `reason` says it in words. */
export type ReasonCode =
  | 'done'
  | 'would_act'
  | 'logged'
  | 'no_target'
  | 'denied_namespace'
  | 'opted_out'
  | 'standalone_pod'
  | 'daemonset'
  | 'statefulset'
  | 'min_replicas'
  | 'cooldown'
  | 'rate_limited'
  | 'already_gone'
  | 'forbidden'
  | 'api_error';

export interface Decision {
  record: RemediationRecord;
  code: ReasonCode;
}

function describeAction(a: RuleAction, t: Target): string {
  switch (a.action) {
    case 'kubernetes:terminate':
      return `delete pod ${t.namespace}/${t.pod}${a.parameters.gracePeriodSeconds === undefined ? '' : ` (grace period ${a.parameters.gracePeriodSeconds}s)`}`;
    case 'kubernetes:label':
      return `label pod ${t.namespace}/${t.pod} with ${Object.entries(a.parameters.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`;
    case 'kubernetes:networkpolicy':
      return `isolate pod ${t.namespace}/${t.pod} (label ${a.parameters.label.key}=${a.parameters.label.value}, deny-all NetworkPolicy ${a.parameters.policyName})`;
    case 'log':
      return 'log';
  }
}

class Skip {
  constructor(
    readonly code: ReasonCode,
    readonly reason: string,
    readonly status?: number,
  ) {}
}

/**
 * Rules ▶ guards ▶ Kubernetes API. Every matched action ends in exactly one recorded decision.
 * Guards that need the API only read; the one mutating call is made after the cooldown and the rate limit
 * are taken in one atomic step (ActionLimits: in the process, or in Redis across replicas), so concurrent
 * alerts cannot race past them.
 */
export class RemediationEngine {
  private readonly limits: ActionLimits;
  // dry-run decisions have their own budget so a noisy dry-run rule cannot starve real actions
  private readonly dryLimits: ActionLimits;
  private readonly deny: Set<string>;

  constructor(
    private readonly settings: EngineSettings,
    private readonly rules: readonly ResponseRule[],
    private readonly kube: KubeClient,
    private readonly audit: AuditLog,
    private readonly reporter: Reporter,
    private readonly metrics: RemediatorMetrics,
    private readonly log: Logger,
    now: () => number = Date.now,
    /** Shared by the replicas through Redis when configured; else this process's own. */
    limits?: { real: ActionLimits; dry: ActionLimits },
  ) {
    this.limits = limits?.real ?? new MemoryActionLimits(settings.cooldownMs, settings.rateLimit, now);
    this.dryLimits = limits?.dry ?? new MemoryActionLimits(settings.cooldownMs, settings.rateLimit, now);
    this.deny = new Set(settings.denyNamespaces);
  }

  get ruleCount(): number {
    return this.rules.length;
  }

  async handle(event: FalcoEvent): Promise<Decision[]> {
    const matched = selectRules(this.rules, event);
    this.metrics.events.inc({ matched: matched.length > 0 ? 'true' : 'false' });
    const decisions: Decision[] = [];
    const pods = new Map<string, Promise<PodInfo>>();
    for (const rule of matched) {
      const dry = this.settings.dryRun || rule.dryRun;
      for (const action of rule.actions) {
        const d = await this.decide(event, rule, action, dry, pods);
        decisions.push(d);
        this.record(d, event);
      }
    }
    return decisions;
  }

  private record(d: Decision, event: FalcoEvent): void {
    this.audit.add(d.record);
    this.metrics.decisions.inc({ action: d.record.action, outcome: d.record.outcome, reason: d.code });
    this.log.info(
      {
        uuid: d.record.uuid,
        rule: d.record.rule,
        falcoRule: event.rule,
        action: d.record.action,
        outcome: d.record.outcome,
        code: d.code,
        target: d.record.target,
        status: d.record.status,
        reason: d.record.reason,
      },
      'remediation decision',
    );
    this.reporter.report(d.record);
  }

  private async decide(
    event: FalcoEvent,
    rule: ResponseRule,
    action: RuleAction,
    dry: boolean,
    pods: Map<string, Promise<PodInfo>>,
  ): Promise<Decision> {
    const make = (
      outcome: RemediationOutcome,
      code: ReasonCode,
      reason: string,
      target?: { namespace?: string; pod?: string },
      status?: number,
    ): Decision => {
      const record: RemediationRecord = {
        uuid: event.uuid,
        rule: rule.name,
        action: action.action,
        outcome,
        // API messages are quoted in reasons; keep records small whatever the API answered
        reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason,
        at: new Date().toISOString(),
      };
      if (target !== undefined && (target.namespace !== undefined || target.pod !== undefined))
        record.target = { ...target };
      if (status !== undefined) record.status = status;
      return { record, code };
    };

    if (action.action === 'log') {
      const message =
        action.parameters.message === ''
          ? `Falco rule "${event.rule}" matched response rule "${rule.name}"`
          : action.parameters.message;
      this.log.warn(
        {
          uuid: event.uuid,
          rule: rule.name,
          falcoRule: event.rule,
          priority: event.priority,
          output: event.output,
        },
        message,
      );
      const { partial } = resolveTarget(event, scopeOf(rule));
      return make('acted', 'logged', `logged: ${message}`, partial);
    }

    const resolved = resolveTarget(event, scopeOf(rule));
    if (resolved.target === undefined)
      return make('skipped', 'no_target', resolved.problem ?? 'no target', resolved.partial);
    const target = resolved.target;
    if (this.deny.has(target.namespace)) {
      return make(
        'skipped',
        'denied_namespace',
        `namespace ${target.namespace} is on the deny-list; nothing is done there`,
        target,
      );
    }
    const key = `${action.action} ${target.namespace}/${target.pod}`;
    const limits = dry ? this.dryLimits : this.limits;
    const refused = (why: Refusal): Decision =>
      why === 'cooldown'
        ? make(
            'skipped',
            'cooldown',
            `cooldown: ${action.action} already decided for this pod within the last ${formatMs(limits.cooldownMs)}`,
            target,
          )
        : make(
            'skipped',
            'rate_limited',
            `rate limit ${this.settings.rateLimit.text} reached; not done: ${describeAction(action, target)}`,
            target,
          );

    try {
      // cheap early exits for alert storms: no API call at all for a pod already handled, or when the
      // rate limit would refuse the action anyway (issue 20, finding 16)
      const early = await limits.check(key);
      if (early !== undefined) return refused(early);
      const podKey = `${target.namespace}/${target.pod}`;
      let podPromise = pods.get(podKey);
      if (podPromise === undefined) {
        podPromise = this.kube.getPod(target.namespace, target.pod);
        pods.set(podKey, podPromise);
      }
      const pod = await podPromise;
      if (pod.labels[OPT_OUT_LABEL] === OPT_OUT_VALUE) {
        return make('skipped', 'opted_out', `pod is labelled ${OPT_OUT_LABEL}=${OPT_OUT_VALUE}`, target);
      }
      if (action.action === 'kubernetes:terminate') {
        const skip = await this.terminateGuards(pod, action.parameters);
        if (skip !== undefined) return make('skipped', skip.code, skip.reason, target, skip.status);
      }

      // the cooldown and the rate limit are taken together or not at all, whoever else asks meanwhile
      const taken = await limits.acquire(key);
      if (taken !== undefined) return refused(taken);
      if (dry) {
        const why = this.settings.dryRun
          ? 'global dry-run (REMEDIATOR_DRYRUN)'
          : `rule "${rule.name}" has dryRun: true`;
        return make(
          'dry_run',
          'would_act',
          `dry-run, ${why}: would ${describeAction(action, target)}`,
          target,
        );
      }
      await this.act(action, target);
      return make('acted', 'done', `${describeAction(action, target)}: done`, target);
    } catch (err) {
      if (err instanceof Skip) return make('skipped', err.code, err.reason, target, err.status);
      if (err instanceof KubeApiError) {
        if (err.status === 404 && err.call.resource === 'pods') {
          return make(
            'skipped',
            'already_gone',
            `pod already gone (404 NotFound): ${err.message}`,
            target,
            404,
          );
        }
        if (err.status === 403) {
          return make(
            'failed',
            'forbidden',
            `forbidden: the remediator's service account lacks permission to ${err.permission} (RBAC); API said: ${err.message}`,
            target,
            403,
          );
        }
        return make(
          'failed',
          'api_error',
          `Kubernetes API ${err.status === undefined ? 'error' : `answered ${err.status}`} ${err.reason} on ${err.call.verb} ${err.call.resource} ${err.call.namespace}/${err.call.name}: ${err.message}`,
          target,
          err.status,
        );
      }
      this.log.error({ err }, 'unexpected error while remediating');
      return make('failed', 'api_error', `unexpected error: ${(err as Error).message}`, target);
    }
  }

  private async terminateGuards(pod: PodInfo, p: TerminateParams): Promise<Skip | undefined> {
    const owner = pod.owner;
    if (owner === undefined) {
      if (p.ignoreStandalonePods)
        return new Skip(
          'standalone_pod',
          'standalone pod (no controller would recreate it); ignoreStandalonePods is on',
        );
      if (p.minHealthyReplicas !== undefined && required(p.minHealthyReplicas, 1) > 0) {
        return new Skip(
          'min_replicas',
          `standalone pod: deleting it leaves 0 replicas; minHealthyReplicas ${formatMin(p)} needs ${required(p.minHealthyReplicas, 1)}`,
        );
      }
      return undefined;
    }
    if (owner.kind === 'DaemonSet' && p.ignoreDaemonsets)
      return new Skip('daemonset', `pod belongs to DaemonSet ${owner.name}; ignoreDaemonsets is on`);
    if (owner.kind === 'StatefulSet' && p.ignoreStatefulsets)
      return new Skip('statefulset', `pod belongs to StatefulSet ${owner.name}; ignoreStatefulsets is on`);
    if (p.minHealthyReplicas === undefined) return undefined;
    if (owner.kind !== 'ReplicaSet' && owner.kind !== 'Deployment' && owner.kind !== 'StatefulSet') {
      return new Skip(
        'min_replicas',
        `minHealthyReplicas cannot be checked for a pod owned by ${owner.kind} ${owner.name}; not deleting`,
      );
    }
    const scale = await this.kube.getWorkloadScale(pod.namespace, owner);
    const need = required(p.minHealthyReplicas, scale.desired);
    // the pod being deleted counts among the ready replicas now
    const left = Math.max(0, scale.ready - 1);
    if (left < need) {
      return new Skip(
        'min_replicas',
        `deleting would leave ${left} ready of ${scale.desired} desired replicas of ${scale.kind} ${scale.name}; minHealthyReplicas ${formatMin(p)} needs ${need}`,
      );
    }
    return undefined;
  }

  private async act(action: RuleAction, t: Target): Promise<void> {
    switch (action.action) {
      case 'kubernetes:terminate':
        await this.kube.deletePod(t.namespace, t.pod, action.parameters.gracePeriodSeconds);
        return;
      case 'kubernetes:label':
        await this.kube.labelPod(t.namespace, t.pod, action.parameters.labels);
        return;
      case 'kubernetes:networkpolicy':
        await this.kube.labelPod(t.namespace, t.pod, {
          [action.parameters.label.key]: action.parameters.label.value,
        });
        await this.kube.createNetworkPolicy(t.namespace, quarantinePolicy(t.namespace, action.parameters));
        return;
      case 'log':
        return;
    }
  }
}

/** Replicas that must stay ready: a count, or a percentage of the desired replicas rounded up. */
export function required(min: NonNullable<TerminateParams['minHealthyReplicas']>, desired: number): number {
  return min.kind === 'count' ? min.value : Math.ceil((min.value * desired) / 100);
}

function formatMin(p: TerminateParams): string {
  const m = p.minHealthyReplicas;
  if (m === undefined) return '';
  return m.kind === 'count' ? String(m.value) : `${m.value}%`;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A deny-all (ingress and egress) NetworkPolicy selecting the quarantine label. */
export function quarantinePolicy(namespace: string, p: NetworkPolicyParams): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: p.policyName,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'falconer-remediator' },
    },
    spec: {
      podSelector: { matchLabels: { [p.label.key]: p.label.value } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [],
    },
  };
}
