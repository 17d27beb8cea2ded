import type { Registry } from 'prom-client';
import type { FalcoEvent, OutputInfo, ReplayRequest } from '@falconer/contracts';
import type { Output } from '@falconer/outputs-core';
import { Aggregator, type Folding } from './aggregator';
import { SharedAggregator } from './shared-aggregator';
import type { DeadLetterQuery, DeadLetterRecord, DeadLetterStore } from './dead-letters';
import { OverloadedError, type Dispatcher } from './dispatcher';
import { DeliveryMetrics, type LostReason } from './metrics';
import type { QueueBackend } from './queue';
import type { RedisClient } from './redis-queue';
import type { AggregateSettings, DeliverySettings } from './settings';
import type { DeliveryStatusSink } from './delivery-status';
import { OutputWorker, type DeliveryLog } from './worker';

/** What delivery needs of one output instance (libs/outputs/registry `OutputInstance` has this shape). */
export interface DeliveryTarget {
  readonly name: string;
  readonly type: string;
  readonly output: Output;
  readonly filterText?: string;
  /** Raw `delivery:` settings. */
  readonly delivery: Readonly<Record<string, unknown>>;
  /** Raw `aggregate:` settings; absent = every event is sent. */
  readonly aggregate?: Readonly<Record<string, unknown>> | undefined;
  /** For error messages (`outputs[2]`); default the name. */
  readonly path?: string;
}

interface Lane {
  target: DeliveryTarget;
  settings: DeliverySettings;
  worker: OutputWorker;
  aggregator?: Folding;
}

export interface ReplayOptions extends ReplayRequest {
  /** Most records replayed in one call when `ids` is absent (default 10 000). */
  limit?: number;
}

/**
 * The queued dispatcher: one queue (memory or Redis Streams) and one worker per output instance, dead
 * letters, aggregation and metrics. Built by `createDispatcher`.
 */
export class DeliveryService implements Dispatcher {
  private readonly lanes = new Map<string, Lane>();
  private started = false;
  private stopped = false;
  readonly metrics: DeliveryMetrics;

  constructor(
    private readonly backend: QueueBackend,
    readonly deadLetters: DeadLetterStore,
    lanes: readonly { target: DeliveryTarget; settings: DeliverySettings; aggregate?: AggregateSettings }[],
    private readonly opts: {
      registry: Registry;
      store?: DeliveryStatusSink | undefined;
      log: DeliveryLog;
      random?: (() => number) | undefined;
      maxHeld?: number | undefined;
      onClose?: () => Promise<void>;
      /** Redis mode: aggregation windows shared by the replicas (ADR 0009). */
      sharedWindows?: { client: RedisClient; prefix: string };
    },
  ) {
    this.metrics = new DeliveryMetrics(opts.registry, () =>
      [...this.lanes.values()].map((l) => ({
        name: l.target.name,
        type: l.target.type,
        counts: l.worker.counts,
        depth: () => l.worker.depth(),
        oldestAgeMs: () => l.worker.oldestAgeMs(),
        circuit: () => l.worker.circuit(),
      })),
    );
    for (const { target, settings, aggregate } of lanes) {
      const worker = new OutputWorker({
        output: target.output,
        settings,
        queue: backend.queue(target.name),
        deadLetters,
        metrics: this.metrics,
        log: opts.log,
        sink: opts.store,
        onHolding: (ids) => backend.holding(target.name, ids),
        random: opts.random,
        ...(opts.maxHeld !== undefined ? { maxHeld: opts.maxHeld } : {}),
      });
      const lane: Lane = { target, settings, worker };
      if (aggregate !== undefined) {
        const emit = (summary: FalcoEvent, folded: number): void => this.emitSummary(lane, summary, folded);
        const shared = opts.sharedWindows;
        lane.aggregator =
          shared === undefined
            ? new Aggregator(aggregate, emit)
            : new SharedAggregator(aggregate, { ...shared, output: target.name }, emit, (err) =>
                opts.log.error(
                  { output: target.name, err: String(err) },
                  'aggregation window could not be closed in Redis; its summary is not sent',
                ),
              );
      }
      this.lanes.set(target.name, lane);
    }
  }

  get backendKind(): 'memory' | 'redis' {
    return this.backend.kind;
  }

  /** Names of the output instances this dispatcher delivers to. */
  get outputNames(): string[] {
    return [...this.lanes.keys()];
  }

  /** An accepted event removed without delivery or dead letter (the caller logged it). */
  countLost(output: string, reason: LostReason): void {
    const type = this.lanes.get(output)?.target.type ?? '';
    this.metrics.lost.inc({ output, type, reason });
  }

  worker(name: string): OutputWorker | undefined {
    return this.lanes.get(name)?.worker;
  }

  async enqueue(event: FalcoEvent, outputs: readonly string[]): Promise<void> {
    if (this.stopped) throw new OverloadedError(outputs[0] ?? '', 5);
    const now: string[] = [];
    for (const name of outputs) {
      const lane = this.lanes.get(name);
      if (lane === undefined) continue;
      if (lane.aggregator !== undefined && !(await lane.aggregator.offer(event))) {
        this.metrics.aggregated.inc({ output: name, type: lane.target.type });
        continue;
      }
      now.push(name);
    }
    if (now.length === 0) return;
    await this.backend.push(event, now);
    // no `queued` state write here: this is ingest's hot path; states are written on retry and outcome
    for (const name of now) this.lanes.get(name)?.worker.matched();
  }

  private emitSummary(lane: Lane, summary: FalcoEvent, folded: number): void {
    this.backend.push(summary, [lane.target.name]).then(
      () => lane.worker.matched(),
      (err: unknown) =>
        this.opts.log.error(
          { output: lane.target.name, folded, rule: summary.rule, err: String(err) },
          'aggregate summary could not be queued; the folded alerts are counted in falconer_delivery_aggregated_total',
        ),
    );
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.backend.start();
    for (const lane of this.lanes.values()) lane.worker.start();
    this.opts.log.info({ backend: this.backend.kind, outputs: this.outputNames }, 'delivery started');
  }

  async stop(deadlineMs: number): Promise<{ unsent: number }> {
    if (this.stopped) return { unsent: 0 };
    this.stopped = true;
    const deadline = Date.now() + deadlineMs;
    // summaries of open windows are queued now, not lost with the timers
    for (const lane of this.lanes.values()) await lane.aggregator?.flush();
    await new Promise((r) => setImmediate(r));
    const drain = this.backend.kind === 'memory';
    const left = await Promise.all([...this.lanes.values()].map((l) => l.worker.stop(deadline, drain)));
    const total = left.reduce((a, b) => a + b, 0);
    await this.backend.close();
    await this.deadLetters.close();
    await this.opts.onClose?.();
    if (this.backend.kind === 'redis') {
      if (total > 0)
        this.opts.log.info(
          { queued: total },
          'events left queued in Redis for the next start or another replica',
        );
      return { unsent: 0 };
    }
    return { unsent: total };
  }

  /**
   * Puts taken dead letters back. If that fails too (the store went away between the take and now),
   * each record is logged with its event and counted: the one way a replay can lose a dead letter.
   */
  private async restore(records: readonly DeadLetterRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.deadLetters.add(records);
    } catch (err) {
      for (const r of records) {
        this.countLost(r.output, 'replay_failed');
        this.opts.log.error(
          { output: r.output, uuid: r.event.uuid, reason: r.reason, err: String(err), event: r.event },
          'dead letter taken for replay could not be queued nor put back',
        );
      }
      throw err;
    }
  }

  /** Output instances with counters, queue depth and circuit state (`GET /api/v1/outputs`). */
  async outputs(): Promise<OutputInfo[]> {
    return Promise.all(
      [...this.lanes.values()].map(async (l) => {
        const [depth, age] = await Promise.all([
          l.worker.depth().catch(() => 0),
          l.worker.oldestAgeMs().catch(() => 0),
        ]);
        return l.worker.info(l.target.filterText ?? '', depth, age);
      }),
    );
  }

  listDeadLetters(query: DeadLetterQuery): Promise<{ total: number; results: DeadLetterRecord[] }> {
    return this.deadLetters.list(query);
  }

  /**
   * Puts dead letters back into their output's queue (attempts start again) and removes them from the
   * dead-letter queue. A record whose output no longer exists, or whose queue is full, stays parked.
   */
  async replay(request: ReplayOptions): Promise<{ replayed: number }> {
    if (request.output !== undefined && !this.lanes.has(request.output))
      throw new UnknownOutputError(request.output);
    const limit = request.limit ?? 10_000;
    let replayed = 0;
    const selection = { output: request.output, limit: Math.min(limit, 500) };
    for (;;) {
      const records = await this.deadLetters.take(
        request.ids !== undefined ? { ...selection, ids: request.ids } : selection,
      );
      const putBack: DeadLetterRecord[] = [];
      for (const [i, r] of records.entries()) {
        if (!this.lanes.has(r.output)) {
          putBack.push(r);
          continue;
        }
        try {
          await this.backend.push(r.event, [r.output]);
          this.lanes.get(r.output)?.worker.matched();
          replayed++;
        } catch (err) {
          putBack.push(r);
          if (err instanceof OverloadedError) continue;
          // the queue is unreachable: every record taken and not replayed goes back before giving up
          await this.restore([...putBack, ...records.slice(i + 1)]);
          throw err;
        }
      }
      if (putBack.length > 0) await this.restore(putBack);
      if (request.ids !== undefined || records.length === 0 || putBack.length > 0 || replayed >= limit) break;
    }
    return { replayed };
  }
}

export class UnknownOutputError extends Error {
  constructor(readonly output: string) {
    super(`no output instance named "${output}"`);
    this.name = 'UnknownOutputError';
  }
}
