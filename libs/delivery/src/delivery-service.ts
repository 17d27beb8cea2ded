import { hostname } from 'node:os';
import { createRedisClient, keyPrefix } from '@falconer/redis';
import { Registry } from 'prom-client';
import type { FalcoEvent, OutputInfo, ReplayRequest } from '@falconer/contracts';
import type { Output } from '@falconer/outputs-core';
import { Aggregator, type Folding } from './aggregator';
import { SharedAggregator } from './shared-aggregator';
import {
  MemoryDeadLetterStore,
  RedisDeadLetterStore,
  type DeadLetterQuery,
  type DeadLetterRecord,
  type DeadLetterStore,
} from './dead-letters';
import { OverloadedError, type Dispatcher } from './dispatcher';
import { DeliveryMetrics, type LostReason } from './metrics';
import { MemoryQueueBackend } from './memory-queue';
import type { QueueBackend } from './queue';
import { RedisQueueBackend, type RedisClient } from './redis-queue';
import {
  readAggregateSettings,
  readDeliverySettings,
  type AggregateSettings,
  type DeliverySettings,
} from './settings';
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

export interface CreateDispatcherOptions {
  targets: readonly DeliveryTarget[];
  /** `redis://…`: Redis Streams queues and dead letters; empty or absent: memory. */
  redisUrl?: string;
  /** Key prefix in Redis (default `falconer`); tests use a unique one. */
  keyPrefix?: string;
  /** `redisUrl` lists seed nodes of a Redis Cluster; the prefix gets a hash tag (see @falconer/redis). */
  redisCluster?: boolean;
  /** Stable consumer name of this process (default `<hostname>:<pid>`; give host and port for restarts). */
  consumerName?: string;
  /** The router's registry; a private one when absent. */
  registry?: Registry;
  /** Where delivery states are recorded (the event store). */
  store?: DeliveryStatusSink;
  log?: DeliveryLog;
  /** Redis: entries of a silent consumer are taken over after this long (default 30 s). */
  claimIdleMs?: number;
  /** Dead letters kept in memory mode before the oldest are dropped (counted and logged). */
  maxDeadLetters?: number;
  random?: () => number;
  /** Most entries one worker holds at once (in flight + waiting to be retried); default 10 000. */
  maxHeldPerOutput?: number;
}

/** Configuration problems of every target's `delivery:` and `aggregate:`, all at once. */
export function deliveryProblems(
  targets: readonly Pick<DeliveryTarget, 'name' | 'delivery' | 'aggregate' | 'path'>[],
): string[] {
  const errors: string[] = [];
  for (const t of targets) {
    const path = t.path ?? t.name;
    errors.push(...readDeliverySettings(t.delivery, path).errors);
    if (t.aggregate !== undefined) errors.push(...readAggregateSettings(t.aggregate, path).errors);
  }
  return errors;
}

const SILENT: DeliveryLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

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

/**
 * The dispatcher for this configuration: Redis Streams when `redisUrl` is set, memory otherwise.
 * Throws an Error listing every problem of the targets' `delivery:`/`aggregate:` settings.
 */
export async function createDispatcher(opts: CreateDispatcherOptions): Promise<DeliveryService> {
  const problems = deliveryProblems(opts.targets);
  if (problems.length > 0) throw new DeliveryConfigError(problems);
  const log = opts.log ?? SILENT;
  const lanes = opts.targets.map((target) => {
    const path = target.path ?? target.name;
    const lane: { target: DeliveryTarget; settings: DeliverySettings; aggregate?: AggregateSettings } = {
      target,
      settings: readDeliverySettings(target.delivery, path).settings,
    };
    if (target.aggregate !== undefined)
      lane.aggregate = readAggregateSettings(target.aggregate, path).settings;
    return lane;
  });
  const bounds = new Map(lanes.map((l) => [l.target.name, l.settings.queueSize]));
  const registry = opts.registry ?? new Registry();
  const options = {
    registry,
    store: opts.store,
    log,
    random: opts.random,
    maxHeld: opts.maxHeldPerOutput,
  };
  const redisUrl = opts.redisUrl ?? '';
  if (redisUrl === '') {
    const dropped = (r: DeadLetterRecord): void => {
      service.countLost(r.output, 'dead_letters_full');
      log.error(
        { output: r.output, uuid: r.event.uuid, reason: r.reason },
        'dead-letter queue full: oldest dead letter dropped',
      );
    };
    const service: DeliveryService = new DeliveryService(
      new MemoryQueueBackend(bounds),
      new MemoryDeadLetterStore(opts.maxDeadLetters ?? 100_000, dropped),
      lanes,
      options,
    );
    return service;
  }
  // no offline queue: while Redis is unreachable, enqueue fails at once (ingest answers 503) instead of
  // holding Falco's request until it is back
  const cluster = opts.redisCluster === true;
  const prefix = keyPrefix(opts.keyPrefix ?? 'falconer', cluster);
  const clusterPrefix = cluster ? prefix : undefined;
  const client: RedisClient = createRedisClient({ url: redisUrl, disableOfflineQueue: true, clusterPrefix });
  client.on('error', (err: unknown) => log.warn({ err: String(err) }, 'redis (delivery) error'));
  await client.connect();
  const backend = new RedisQueueBackend({
    // called only once entries are read, after the service below exists
    onLost: (output, reason) => service.countLost(output, reason),
    client,
    prefix,
    consumer: opts.consumerName ?? `${hostname()}:${process.pid}`,
    bounds,
    ...(opts.claimIdleMs !== undefined ? { claimIdleMs: opts.claimIdleMs } : {}),
    log,
  });
  const service: DeliveryService = new DeliveryService(
    backend,
    new RedisDeadLetterStore(client, prefix),
    lanes,
    {
      ...options,
      onClose: async () => {
        await client.quit().catch(() => client.destroy());
      },
      sharedWindows: { client, prefix },
    },
  );
  return service;
}

export class DeliveryConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid delivery configuration: ${problems.join('; ')}`);
    this.name = 'DeliveryConfigError';
  }
}
