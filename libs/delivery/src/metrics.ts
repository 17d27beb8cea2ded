import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';
import type { CircuitState } from '@falconer/contracts';
import { withDeadline } from '@falconer/util';
import { FAILURE_REASONS, sum, type OutputCounts } from './output-counts';

/**
 * A figure read from the queue backend for a scrape: while Redis is unreachable (or slow) the series keeps
 * its last value instead of failing the whole scrape or holding it (ADR 0013).
 */
function fromBackend(read: Promise<number>): Promise<number | undefined> {
  return withDeadline(read, 1000, 'queue backend').catch(() => undefined);
}

/** What the metrics need to read from each worker at scrape time. */
export interface QueueGaugeSource {
  name: string;
  type: string;
  /** The output's counts; the `*_total` counters below are read from them. */
  counts: OutputCounts;
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

type Labels = Record<string, string>;

/**
 * A Prometheus counter whose values are read, when scraped, from the outputs' `OutputCounts` (the one
 * place each count is kept): no second tally to keep in step.
 */
class CountsCounter {
  readonly type = 'counter';
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Iterable<[Labels, number]>,
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: object[] }> {
    const values = [...this.read()].map(([labels, value]) => ({ labels, value }));
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
  }

  /** The counts belong to the outputs; a registry reset leaves them alone. */
  reset(): void {
    return;
  }
}

/** One series per output. */
function perOutput(
  sources: () => readonly QueueGaugeSource[],
  count: (c: OutputCounts) => number,
): () => Iterable<[Labels, number]> {
  return () => sources().map((s) => [{ output: s.name, type: s.type }, count(s.counts)]);
}

/** One series per output and failure reason (every reason, from the start). */
function perReason(
  sources: () => readonly QueueGaugeSource[],
  counts: (c: OutputCounts) => Partial<Record<string, number>>,
): () => Iterable<[Labels, number]> {
  return function* () {
    for (const s of sources()) {
      const by = counts(s.counts);
      for (const reason of FAILURE_REASONS) yield [{ output: s.name, type: s.type, reason }, by[reason] ?? 0];
    }
  };
}

/** falcosidekick's `outputs_total`: per output type, `ok` = delivered, `error` = failed attempts (per event). */
function perDestination(sources: () => readonly QueueGaugeSource[]): () => Iterable<[Labels, number]> {
  return () => {
    const byType = new Map<string, { ok: number; error: number }>();
    for (const s of sources()) {
      const t = byType.get(s.type) ?? { ok: 0, error: 0 };
      t.ok += s.counts.sent;
      t.error += sum(s.counts.failed);
      byType.set(s.type, t);
    }
    return [...byType].flatMap(([destination, t]): [Labels, number][] => [
      [{ destination, status: 'ok' }, t.ok],
      [{ destination, status: 'error' }, t.error],
    ]);
  };
}

/**
 * Delivery metrics, registered once on the router's registry: falcosidekick's outputs_total (so its
 * dashboards work) and Falconer's per-instance series.
 */
export class DeliveryMetrics {
  readonly aggregated: Counter<'output' | 'type'>;
  readonly lost: Counter<'output' | 'type' | 'reason'>;
  readonly latency: LatencyHistogram;
  readonly requestDuration: Histogram<'output' | 'type'>;

  constructor(registry: Registry, sources: () => readonly QueueGaugeSource[]) {
    const registers = [registry];
    new CountsCounter(
      'falcosecurity_falcosidekick_outputs_total',
      'Events sent to outputs, by output type and outcome (one per event and attempt)',
      perDestination(sources),
      registry,
    );
    new CountsCounter(
      'falconer_delivery_matched_total',
      'Events queued for an output',
      perOutput(sources, (c) => c.matched),
      registry,
    );
    new CountsCounter(
      'falconer_delivery_sent_total',
      'Events delivered',
      perOutput(sources, (c) => c.sent),
      registry,
    );
    new CountsCounter(
      'falconer_delivery_failed_total',
      'Failed delivery attempts (per event), by reason',
      perReason(sources, (c) => c.failed),
      registry,
    );
    new CountsCounter(
      'falconer_delivery_retried_total',
      'Events scheduled for another attempt',
      perOutput(sources, (c) => c.retried),
      registry,
    );
    new CountsCounter(
      'falconer_delivery_dead_lettered_total',
      'Events parked in the dead-letter queue, by last reason',
      perReason(sources, (c) => c.deadLettered),
      registry,
    );
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

  /** Makes every series of an output exist from the start (a rate() over a missing series is empty). */
  init(output: string, type: string): void {
    const l = { output, type };
    this.latency.seriesFor(l);
    for (const reason of LOST_REASONS) this.lost.inc({ ...l, reason }, 0);
  }
}
