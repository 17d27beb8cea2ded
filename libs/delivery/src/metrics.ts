import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';
import type { CircuitState, FailureReason } from '@falconer/contracts';
import { withDeadline } from '@falconer/util';

/**
 * A figure read from the queue backend for a scrape: while Redis is unreachable (or slow) the series keeps
 * its last value instead of failing the whole scrape or holding it (ADR 0010).
 */
function fromBackend(read: Promise<number>): Promise<number | undefined> {
  return withDeadline(read, 1000, 'queue backend').catch(() => undefined);
}

/** What the metrics need to read from each worker at scrape time. */
export interface QueueGaugeSource {
  name: string;
  type: string;
  depth(): Promise<number>;
  oldestAgeMs(): Promise<number>;
  circuit(): CircuitState;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

export type OutputLabels = { output: string; type: string };

/**
 * Why an accepted event left a queue or the dead-letter list without being delivered or parked:
 * `unreadable` — a Redis stream entry whose text is not an event (corrupted by hand); `vanished` — a
 * Redis entry deleted from its stream (XDEL/XTRIM by someone else) while it was pending; `dead_letters_full`
 * — memory mode, the oldest dead letter dropped past the bound; `replay_failed` — a dead letter taken for
 * replay that could neither be queued nor put back (the store went away in between). Each is also logged.
 */
export const LOST_REASONS = ['unreadable', 'vanished', 'dead_letters_full', 'replay_failed'] as const;
export type LostReason = (typeof LOST_REASONS)[number];

/** One label set of a LatencyHistogram: counts per bucket (the last is +Inf only), sum and count. */
export interface LatencySeries {
  readonly labels: OutputLabels;
  readonly counts: number[];
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram for per-event delivery latency. prom-client's Histogram validates and hashes
 * its label object on each observe(); delivery observes every event it delivers, so here an observation
 * is a few array operations on a series the worker holds, and prom-client only formats the result.
 */
class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series: LatencySeries[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  seriesFor(labels: OutputLabels): LatencySeries {
    const known = this.series.find((x) => x.labels.output === labels.output && x.labels.type === labels.type);
    if (known !== undefined) return known;
    const created = { labels, counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
    this.series.push(created);
    return created;
  }

  observe(series: LatencySeries, seconds: number): void {
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] as number)) i++;
    series.counts[i] = (series.counts[i] as number) + 1;
    series.sum += seconds;
    series.count++;
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: object[] }> {
    const values: object[] = [];
    for (const x of this.series) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += x.counts[i] as number;
        values.push({ labels: { ...x.labels, le }, value: acc, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...x.labels, le: '+Inf' }, value: x.count, metricName: `${this.name}_bucket` });
      values.push({ labels: { ...x.labels }, value: x.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...x.labels }, value: x.count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
  }

  reset(): void {
    for (const x of this.series) {
      x.counts.fill(0);
      x.sum = 0;
      x.count = 0;
    }
  }
}

/**
 * Delivery metrics, registered once on the router's registry: falcosidekick's outputs_total (so its
 * dashboards work) and Falconer's per-instance series.
 */
export class DeliveryMetrics {
  readonly outputsTotal: Counter<'destination' | 'status'>;
  readonly matched: Counter<'output' | 'type'>;
  readonly sent: Counter<'output' | 'type'>;
  readonly failed: Counter<'output' | 'type' | 'reason'>;
  readonly retried: Counter<'output' | 'type'>;
  readonly deadLettered: Counter<'output' | 'type' | 'reason'>;
  readonly aggregated: Counter<'output' | 'type'>;
  readonly lost: Counter<'output' | 'type' | 'reason'>;
  readonly latency: LatencyHistogram;
  readonly requestDuration: Histogram<'output' | 'type'>;
  private readonly matchedPending = new Map<OutputLabels, number>();

  constructor(registry: Registry, sources: () => readonly QueueGaugeSource[]) {
    const registers = [registry];
    this.outputsTotal = new Counter({
      name: 'falcosecurity_falcosidekick_outputs_total',
      help: 'Events sent to outputs, by output type and outcome (one per event and attempt)',
      labelNames: ['destination', 'status'],
      registers,
    });
    const pending = this.matchedPending;
    this.matched = new Counter({
      name: 'falconer_delivery_matched_total',
      help: 'Events queued for an output',
      labelNames: ['output', 'type'],
      registers,
      collect() {
        for (const [labels, n] of pending) if (n > 0) this.inc(labels, n);
        pending.clear();
      },
    });
    this.sent = new Counter({
      name: 'falconer_delivery_sent_total',
      help: 'Events delivered',
      labelNames: ['output', 'type'],
      registers,
    });
    this.failed = new Counter({
      name: 'falconer_delivery_failed_total',
      help: 'Failed delivery attempts (per event), by reason',
      labelNames: ['output', 'type', 'reason'],
      registers,
    });
    this.retried = new Counter({
      name: 'falconer_delivery_retried_total',
      help: 'Events scheduled for another attempt',
      labelNames: ['output', 'type'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'falconer_delivery_dead_lettered_total',
      help: 'Events parked in the dead-letter queue, by last reason',
      labelNames: ['output', 'type', 'reason'],
      registers,
    });
    this.aggregated = new Counter({
      name: 'falconer_delivery_aggregated_total',
      help: 'Events folded into an aggregate message instead of being sent one by one',
      labelNames: ['output', 'type'],
      registers,
    });
    this.lost = new Counter({
      name: 'falconer_delivery_lost_total',
      help: 'Accepted events removed from a queue or the dead-letter list without delivery, by reason (see ADR 0003); alert on any increase',
      labelNames: ['output', 'type', 'reason'],
      registers,
    });
    this.latency = new LatencyHistogram(
      'falconer_delivery_latency_seconds',
      'From enqueue to confirmed delivery',
      LATENCY_BUCKETS,
      registry,
    );
    this.requestDuration = new Histogram({
      name: 'falconer_delivery_request_duration_seconds',
      help: 'Duration of one send to the destination',
      labelNames: ['output', 'type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'falconer_delivery_queue_depth',
      help: 'Events queued or being retried',
      labelNames: ['output', 'type'],
      registers,
      async collect() {
        for (const s of sources()) {
          const depth = await fromBackend(s.depth());
          if (depth !== undefined) this.set({ output: s.name, type: s.type }, depth);
        }
      },
    });
    new Gauge({
      name: 'falconer_delivery_oldest_queued_age_seconds',
      help: 'Age of the oldest event not yet delivered',
      labelNames: ['output', 'type'],
      registers,
      async collect() {
        for (const s of sources()) {
          const age = await fromBackend(s.oldestAgeMs());
          if (age !== undefined) this.set({ output: s.name, type: s.type }, age / 1000);
        }
      },
    });
    new Gauge({
      name: 'falconer_delivery_circuit_open',
      help: 'Circuit breaker: 0 closed, 1 open (probing), 0.5 half open (probe in flight)',
      labelNames: ['output', 'type'],
      registers,
      collect() {
        for (const s of sources()) {
          const c = s.circuit();
          this.set({ output: s.name, type: s.type }, c === 'open' ? 1 : c === 'half_open' ? 0.5 : 0);
        }
      },
    });
  }

  /**
   * Counts events queued for an output. Called on ingest's hot path, so the count is kept in a number
   * (keyed by the caller's one label object) and handed to prom-client when Prometheus scrapes.
   */
  countMatched(labels: OutputLabels, n: number): void {
    this.matchedPending.set(labels, (this.matchedPending.get(labels) ?? 0) + n);
  }

  /** Makes every series of an output exist from the start (a rate() over a missing series is empty). */
  init(output: string, type: string, reasons: readonly FailureReason[]): void {
    const l = { output, type };
    this.latency.seriesFor(l);
    this.matched.inc(l, 0);
    this.sent.inc(l, 0);
    this.retried.inc(l, 0);
    for (const reason of reasons) {
      this.failed.inc({ ...l, reason }, 0);
      this.deadLettered.inc({ ...l, reason }, 0);
    }
    for (const reason of LOST_REASONS) this.lost.inc({ ...l, reason }, 0);
    this.outputsTotal.inc({ destination: type, status: 'ok' }, 0);
    this.outputsTotal.inc({ destination: type, status: 'error' }, 0);
  }
}
