import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { PRIORITY_LEVEL, type FalcoEvent } from '@falconer/contracts';
import type { FalconerConfig } from '@falconer/config';
import { CONFIG, METRICS_REGISTRY } from '../core/tokens';

const MAX_CACHED_CHILDREN = 10_000;

/** falcosidekick's metric names, so existing Grafana dashboards keep working. */
@Injectable()
export class MetricsService {
  readonly inputs: Counter<'source' | 'status'>;
  readonly events: Counter<'rule' | 'priority' | 'priority_raw' | 'source' | 'hostname' | 'k8s_ns_name' | 'k8s_pod_name'>;
  private readonly podLabel: boolean;
  private readonly acceptedInputs: Counter.Internal;
  private readonly eventChildren = new Map<string, Counter.Internal>();

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry, @Inject(CONFIG) config: FalconerConfig) {
    this.podLabel = config.metrics.podlabel;
    this.inputs = new Counter({
      name: 'falcosecurity_falcosidekick_inputs_total',
      help: 'Events received, by input source and acceptance',
      labelNames: ['source', 'status'],
      registers: [registry],
    });
    this.events = new Counter({
      name: 'falcosecurity_falcosidekick_falco_events_total',
      help: 'Accepted Falco events by rule, priority, source, host, namespace and pod',
      labelNames: ['rule', 'priority', 'priority_raw', 'source', 'hostname', 'k8s_ns_name', 'k8s_pod_name'],
      registers: [registry],
    });
    // make the accepted/rejected series exist from the start (a rate() over a missing series is empty)
    this.acceptedInputs = this.inputs.labels({ source: 'requests', status: 'accepted' });
    this.acceptedInputs.inc(0);
    this.inputs.inc({ source: 'requests', status: 'rejected' }, 0);
  }

  accepted(event: FalcoEvent): void {
    this.acceptedInputs.inc();
    const ns = event.output_fields['k8s.ns.name'];
    const pod = event.output_fields['k8s.pod.name'];
    const nsLabel = typeof ns === 'string' ? ns : '';
    const podLabel = this.podLabel && typeof pod === 'string' ? pod : '';
    // prom-client hashes the label object on every inc(); the bound child is cached per label set instead
    const key = `${event.rule}\u0000${event.priority}\u0000${event.source}\u0000${event.hostname}\u0000${nsLabel}\u0000${podLabel}`;
    let child = this.eventChildren.get(key);
    if (child === undefined) {
      if (this.eventChildren.size >= MAX_CACHED_CHILDREN) this.eventChildren.clear();
      child = this.events.labels({
        rule: event.rule,
        priority: String(PRIORITY_LEVEL[event.priority]),
        priority_raw: event.priority.toLowerCase(),
        source: event.source,
        hostname: event.hostname,
        k8s_ns_name: nsLabel,
        k8s_pod_name: podLabel,
      });
      this.eventChildren.set(key, child);
    }
    child.inc();
  }

  rejected(count = 1): void {
    this.inputs.inc({ source: 'requests', status: 'rejected' }, count);
  }
}
