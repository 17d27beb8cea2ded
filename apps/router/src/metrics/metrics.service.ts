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

/** The label value of the series that holds what exceeds `metrics.maxseries`. */
export const FOLDED = '_folded_';

/** At most `max` UTF-8 bytes, cut on a character boundary. */
export function truncateLabel(value: string, max: number): string {
  if (value.length * 3 <= max || Buffer.byteLength(value) <= max) return value;
  const buf = Buffer.from(value.slice(0, max));
  let end = Math.min(max, buf.length);
  // step back over UTF-8 continuation bytes (10xxxxxx) so no character is split
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/** How much a plain count grew since the previous call (a scrape), for a counter fed at scrape time. */
export function sinceLastScrape(read: () => number): () => number {
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
  private readonly labelBytes: number;
  private readonly maxSeries: number;
  private foldedCount = 0;

  constructor(
    @Inject(METRICS_REGISTRY) readonly registry: Registry,
    @Inject(CONFIG) config: FalconerConfig,
  ) {
    this.podLabel = config.metrics.podlabel;
    this.labelBytes = config.metrics.labelbytes;
    this.maxSeries = config.metrics.maxseries;
    const newFolded = sinceLastScrape(() => this.foldedCount);
    new Counter({
      name: 'falconer_metrics_events_folded_total',
      help: `Events counted in the "${FOLDED}" series of falco_events_total because it already had metrics.maxseries series`,
      registers: [registry],
      collect() {
        this.inc(newFolded());
      },
    });
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

  /**
   * Label values come from events, so from whoever can send one: each is cut to `metrics.labelbytes`
   * and, once the metric has `metrics.maxseries` series, new combinations are counted in one series
   * whose labels (but the priority) read `_folded_` — 2 000 unique 200 KB rule names took a scrape
   * to 1.5 s and RSS to 1.8 GB before (issue 20, finding 7).
   */
  accepted(event: FalcoEvent): void {
    this.acceptedCount++;
    const ns = event.output_fields['k8s.ns.name'];
    const pod = event.output_fields['k8s.pod.name'];
    const max = this.labelBytes;
    const rule = truncateLabel(event.rule, max);
    const source = truncateLabel(event.source, max);
    const hostname = truncateLabel(event.hostname, max);
    const nsLabel = typeof ns === 'string' ? truncateLabel(ns, max) : '';
    const podLabel = this.podLabel && typeof pod === 'string' ? truncateLabel(pod, max) : '';
    const key = `${rule}\u0000${event.priority}\u0000${source}\u0000${hostname}\u0000${nsLabel}\u0000${podLabel}`;
    const tally = this.tallies.get(key);
    if (tally !== undefined) {
      tally.count++;
      return;
    }
    if (this.tallies.size >= this.maxSeries) {
      this.foldedCount++;
      this.fold(event);
      return;
    }
    this.tallies.set(key, {
      labels: {
        rule,
        priority: String(PRIORITY_LEVEL[event.priority]),
        priority_raw: event.priority.toLowerCase(),
        source,
        hostname,
        k8s_ns_name: nsLabel,
        k8s_pod_name: podLabel,
      },
      count: 1,
      reported: 0,
    });
  }

  /** One series per priority past the cap (at most 8 more, whatever arrives). */
  private fold(event: FalcoEvent): void {
    const key = `\u0001${event.priority}`;
    const tally = this.tallies.get(key);
    if (tally !== undefined) {
      tally.count++;
      return;
    }
    this.tallies.set(key, {
      labels: {
        rule: FOLDED,
        priority: String(PRIORITY_LEVEL[event.priority]),
        priority_raw: event.priority.toLowerCase(),
        source: FOLDED,
        hostname: FOLDED,
        k8s_ns_name: FOLDED,
        k8s_pod_name: FOLDED,
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
