import { Inject, Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { PRIORITY_LEVEL, type FalcoEvent } from '@falconer/contracts';
import type { FalconerConfig } from '@falconer/config';
import { CONFIG, METRICS_REGISTRY } from '../core/tokens';

type EventLabels =
  'rule' | 'priority' | 'priority_raw' | 'source' | 'hostname' | 'k8s_ns_name' | 'k8s_pod_name';

interface Tally {
  labels: Record<EventLabels, string>;
  count: number;
  reported: number;
}

/** How much a plain count grew since the previous call (a scrape), for a counter fed at scrape time. */
function sinceLastScrape(read: () => number): () => number {
  let reported = 0;
  return () => {
    const n = read();
    const added = n - reported;
    reported = n;
    return added;
  };
}

/**
 * falcosidekick's metric names, so existing Grafana dashboards keep working. Ingest is the hot path, and
 * prom-client hashes a label object on every `inc()`: counts are kept in plain numbers here and handed to
 * prom-client when Prometheus scrapes (`collect`).
 */
@Injectable()
export class MetricsService {
  readonly inputs: Counter<'source' | 'status'>;
  readonly events: Counter<EventLabels>;
  private readonly podLabel: boolean;
  private acceptedCount = 0;
  private rejectedCount = 0;
  private droppedCount = 0;
  private oldCount = 0;
  private readonly tallies = new Map<string, Tally>();

  constructor(
    @Inject(METRICS_REGISTRY) readonly registry: Registry,
    @Inject(CONFIG) config: FalconerConfig,
  ) {
    this.podLabel = config.metrics.podlabel;
    const newAccepted = sinceLastScrape(() => this.acceptedCount);
    const newRejected = sinceLastScrape(() => this.rejectedCount);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client calls collect() with the metric as `this`
    const self = this;
    this.inputs = new Counter({
      name: 'falcosecurity_falcosidekick_inputs_total',
      help: 'Events received, by input source and acceptance',
      labelNames: ['source', 'status'],
      registers: [registry],
      collect() {
        this.inc({ source: 'requests', status: 'accepted' }, newAccepted());
        this.inc({ source: 'requests', status: 'rejected' }, newRejected());
      },
    });
    const newDropped = sinceLastScrape(() => this.droppedCount);
    new Counter({
      name: 'falconer_ingest_dropped_total',
      help: 'Events answered 200 but discarded by the global drop: filter (configured noise suppression): neither recorded nor delivered',
      registers: [registry],
      collect() {
        this.inc(newDropped());
      },
    });
    const newOld = sinceLastScrape(() => this.oldCount);
    new Counter({
      name: 'falconer_ingest_old_events_total',
      help: 'Events whose own time was already older than store.ttl when received: kept store.ttl from receipt (ADR 0004), found by time windows that include their time',
      registers: [registry],
      collect() {
        this.inc(newOld());
      },
    });
    this.events = new Counter({
      name: 'falcosecurity_falcosidekick_falco_events_total',
      help: 'Accepted Falco events by rule, priority, source, host, namespace and pod',
      labelNames: ['rule', 'priority', 'priority_raw', 'source', 'hostname', 'k8s_ns_name', 'k8s_pod_name'],
      registers: [registry],
      collect() {
        for (const t of self.tallies.values()) {
          if (t.count === t.reported) continue;
          this.inc(t.labels, t.count - t.reported);
          t.reported = t.count;
        }
      },
    });
  }

  /** `falconer_ingest_parsed_off_main_total`: bodies the parse worker parsed (ParsePool), read at scrape time. */
  countOffloaded(read: () => number): void {
    const added = sinceLastScrape(read);
    new Counter({
      name: 'falconer_ingest_parsed_off_main_total',
      help: 'Ingest bodies parsed on the parse worker thread instead of the main thread',
      registers: [this.registry],
      collect() {
        this.inc(added());
      },
    });
  }

  accepted(event: FalcoEvent): void {
    this.acceptedCount++;
    const ns = event.output_fields['k8s.ns.name'];
    const pod = event.output_fields['k8s.pod.name'];
    const nsLabel = typeof ns === 'string' ? ns : '';
    const podLabel = this.podLabel && typeof pod === 'string' ? pod : '';
    const key = `${event.rule}\u0000${event.priority}\u0000${event.source}\u0000${event.hostname}\u0000${nsLabel}\u0000${podLabel}`;
    const tally = this.tallies.get(key);
    if (tally !== undefined) {
      tally.count++;
      return;
    }
    this.tallies.set(key, {
      labels: {
        rule: event.rule,
        priority: String(PRIORITY_LEVEL[event.priority]),
        priority_raw: event.priority.toLowerCase(),
        source: event.source,
        hostname: event.hostname,
        k8s_ns_name: nsLabel,
        k8s_pod_name: podLabel,
      },
      count: 1,
      reported: 0,
    });
  }

  /** An event discarded by the global drop filter. */
  dropped(): void {
    this.droppedCount++;
  }

  /** An event dated before the store's TTL window at receipt. */
  old(): void {
    this.oldCount++;
  }

  rejected(count = 1): void {
    this.rejectedCount += count;
  }
}
