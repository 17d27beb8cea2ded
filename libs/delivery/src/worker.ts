import type { CircuitState, OutputInfo } from '@falconer/contracts';
import type { BatchPolicy, Output, SendFailure } from '@falconer/outputs-core';
import { OutputSession } from './attempt';
import { BatchCollector, IDLE_WAIT_MS } from './batch-collector';
import { CircuitBreaker } from './breaker';
import { newDeadLetter, type DeadLetterRecord, type DeadLetterStore } from './dead-letters';
import type { DeliveryMetrics, LatencySeries, OutputLabels } from './metrics';
import { DeliveryStatusWriter, type DeliveryStatusSink } from './delivery-status';
import { decideOutcome } from './outcome';
import { OutputCounts } from './output-counts';
import type { DeliveryQueue, QueueEntry } from './queue';
import { RetryTimers } from './retry-timers';
import type { DeliverySettings } from './settings';

export interface DeliveryLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerDeps {
  output: Output;
  settings: DeliverySettings;
  queue: DeliveryQueue;
  deadLetters: DeadLetterStore;
  metrics: DeliveryMetrics;
  log: DeliveryLog;
  sink?: DeliveryStatusSink | undefined;
  /** Redis: the worker's held entries are kept claimed by this process. */
  onHolding?: (ids: () => Iterable<string>) => void;
  random?: () => number;
  /** Most entries held at once (in flight + waiting to be retried); bounds memory with Redis. */
  maxHeld?: number;
}

/**
 * Delivers one output's queue: bounded concurrency, batches, per-request timeout, retries with backoff
 * and Retry-After, the circuit breaker, dead letters. Entries stay unacknowledged (and counted in the
 * queue) until delivered or dead-lettered, so with Redis a crash at any point loses nothing.
 *
 * The parts: `BatchCollector` (what is held and the next batch), `OutputSession` (one attempt, with its
 * timeout), `decideOutcome` (delivered / retry / dead letter), `RetryTimers` (backoff), `OutputCounts`
 * (the counts the API and Prometheus show). This class runs the loop and acts on the outcomes.
 */
export class OutputWorker {
  readonly name: string;
  readonly type: string;
  private readonly output: Output;
  private readonly s: DeliverySettings;
  private readonly queue: DeliveryQueue;
  readonly breaker: CircuitBreaker;
  /** The one set of counts of this output (API and Prometheus). */
  readonly counts: OutputCounts;
  private readonly collector: BatchCollector;
  private readonly session: OutputSession;
  private readonly retries: RetryTimers<QueueEntry>;
  private readonly statuses: DeliveryStatusWriter;

  private inflight = 0;
  private readonly inflightSends = new Set<Promise<void>>();
  private pausedUntil = 0;
  private running = false;
  private stopping = false;
  private drain = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly abort = new AbortController();
  /** prom-client label set of this output; one object, not one per observation. */
  private readonly labels: OutputLabels;
  private readonly latency: LatencySeries;

  constructor(private readonly deps: WorkerDeps) {
    this.output = deps.output;
    this.name = deps.output.name;
    this.type = deps.output.type;
    this.labels = { output: this.name, type: this.type };
    this.latency = deps.metrics.latency.seriesFor(this.labels);
    this.counts = new OutputCounts(this.name, this.type);
    this.s = deps.settings;
    this.queue = deps.queue;
    this.breaker = new CircuitBreaker(deps.settings.breaker);
    const own = deps.output.batch;
    const batch: BatchPolicy = {
      maxEvents: deps.settings.batch.maxEvents ?? own?.maxEvents ?? 1,
      flushIntervalMs: deps.settings.batch.flushIntervalMs ?? own?.flushIntervalMs ?? 0,
      ...(own?.maxBytes !== undefined ? { maxBytes: own.maxBytes } : {}),
    };
    this.collector = new BatchCollector(deps.queue, batch, deps.maxHeld ?? 10_000);
    this.session = new OutputSession(deps.output);
    this.statuses = new DeliveryStatusWriter(this.name, deps.sink, deps.log);
    this.retries = new RetryTimers<QueueEntry>(deps.settings, deps.random ?? Math.random, (due) => {
      this.collector.due(due);
      this.wake();
    });
    deps.onHolding?.(() => this.collector.heldIds());
    deps.metrics.init(this.name, this.type);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => {
      // a bug must not stop an output for good: what it holds stays held, the loop starts again
      this.deps.log.error(
        { output: this.name, err: String(err) },
        'delivery worker failed unexpectedly; starting it again in 1 s',
      );
      this.running = false;
      setTimeout(() => {
        if (!this.stopping) this.start();
      }, IDLE_WAIT_MS).unref();
    });
  }

  matched(n = 1): void {
    this.counts.matched += n;
  }

  circuit(): CircuitState {
    return this.breaker.circuit;
  }

  depth(): Promise<number> {
    return this.queue.depth();
  }

  async oldestAgeMs(): Promise<number> {
    const t = await this.queue.oldestEnqueuedAt();
    return t === undefined ? 0 : Math.max(0, Date.now() - t);
  }

  /** Events waiting for a retry timer or due for retry. */
  get retrying(): number {
    return this.retries.waiting + this.collector.readyCount;
  }

  get inFlight(): number {
    return this.inflight;
  }

  get heldCount(): number {
    return this.collector.heldCount;
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
    this.queue.interrupt();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private shouldRun(): boolean {
    return !this.stopping || this.drain;
  }

  private async run(): Promise<void> {
    while (this.shouldRun()) {
      if (this.stopping && this.drain && this.collector.heldCount === 0 && (await this.queue.depth()) === 0)
        break;
      if (this.inflight >= this.s.concurrency) {
        await this.sleep(IDLE_WAIT_MS);
        continue;
      }
      const now = Date.now();
      if (this.pausedUntil > now) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      const gate = this.breaker.gate();
      if (gate.kind === 'wait') {
        await this.sleep(gate.ms);
        continue;
      }
      if (gate.kind === 'probe' && this.inflight > 0) {
        await this.sleep(IDLE_WAIT_MS);
        continue;
      }
      if (this.collector.full) {
        // holding as many as allowed, all waiting out their backoff: wait for a retry to come due
        await this.sleep(IDLE_WAIT_MS);
        continue;
      }
      let batch: QueueEntry[];
      try {
        batch = await this.collector.collect(() => this.shouldRun());
      } catch (err) {
        // the queue backend is unreachable (Redis down): wait and try again, never give up
        this.deps.log.warn({ output: this.name, err: String(err) }, 'reading the queue failed');
        await this.sleep(IDLE_WAIT_MS);
        continue;
      }
      if (!this.shouldRun()) {
        // stopped while waiting for entries: they stay queued (Redis) or count as unsent (memory)
        break;
      }
      if (batch.length === 0) continue;
      if (gate.kind === 'probe') this.breaker.probing();
      this.inflight++;
      const p: Promise<void> = this.send(batch)
        .catch((err: unknown) =>
          this.deps.log.error({ output: this.name, err: String(err) }, 'delivery bookkeeping failed'),
        )
        .finally(() => {
          this.inflight--;
          this.inflightSends.delete(p);
          this.wake();
        });
      this.inflightSends.add(p);
    }
  }

  private async send(batch: QueueEntry[]): Promise<void> {
    for (const e of batch) e.attempts++;
    const started = Date.now();
    const result = await this.session.attempt(
      batch.map((e) => e.event),
      this.s.timeoutMs,
      this.abort.signal,
    );
    this.deps.metrics.requestDuration.observe(this.labels, (Date.now() - started) / 1000);
    if (result.ok) {
      this.succeeded();
      await this.delivered(batch);
      return;
    }
    if (this.stopping && this.abort.signal.aborted) {
      // cut off at shutdown: not a failure of the destination; left queued (Redis) or counted unsent
      return;
    }
    const outcome = decideOutcome(batch, result, this.s.attempts);
    this.counts.failedAttempt(result.reason, outcome.failed, result.detail, new Date());
    if (outcome.breaker === 'success') this.succeeded();
    else this.breaker.failure();
    if (result.retryAfterMs !== undefined)
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + result.retryAfterMs);

    if (outcome.delivered.length > 0) await this.delivered(outcome.delivered);
    if (outcome.dead.length > 0) await this.deadLetter(outcome.dead, result);
    if (outcome.retry.length > 0) this.scheduleRetry(outcome.retry, result);
    this.deps.log.debug(
      {
        output: this.name,
        reason: result.reason,
        detail: result.detail,
        retry: outcome.retry.length,
        dead: outcome.dead.length,
      },
      'delivery attempt failed',
    );
  }

  /**
   * A success. When it closes an open breaker, or ends a streak of failures long enough to open one
   * (the destination was down and is back), events waiting out their backoff go now: the queue drains
   * at full speed, still `concurrency` at a time. After intermittent failures they keep their backoff.
   */
  private succeeded(): void {
    const wasDown = this.breaker.consecutiveFailures >= this.s.breaker.minFailures;
    if (!this.breaker.success() && !wasDown) return;
    if (this.retries.waiting === 0) return;
    this.collector.due(this.retries.releaseAll());
    this.wake();
  }

  /**
   * Acknowledges, trying again every second while the backend is unreachable. The entries stay held
   * meanwhile: not sent again by this process, and (Redis) still pending, so nothing is lost.
   */
  private async ack(entries: readonly QueueEntry[]): Promise<void> {
    for (;;) {
      try {
        await this.queue.ack(entries);
        return;
      } catch (err) {
        if (this.stopping) throw err;
        this.deps.log.warn(
          { output: this.name, count: entries.length, err: String(err) },
          'acknowledging delivered events failed; retrying',
        );
        await new Promise((r) => setTimeout(r, IDLE_WAIT_MS));
      }
    }
  }

  private async delivered(entries: readonly QueueEntry[]): Promise<void> {
    await this.ack(entries);
    const now = Date.now();
    this.collector.release(entries);
    for (const e of entries) this.deps.metrics.latency.observe(this.latency, (now - e.enqueuedAt) / 1000);
    this.counts.delivered(entries.length, now);
    this.statuses.write(entries, 'delivered', 'ok');
  }

  private async deadLetter(entries: readonly QueueEntry[], failure: SendFailure): Promise<void> {
    const at = new Date();
    const records: DeadLetterRecord[] = entries.map((e) =>
      newDeadLetter(this.name, e.event, failure.reason, failure.detail, e.attempts, at),
    );
    // parked first, acknowledged second: a crash in between repeats the event, it never loses it
    try {
      await this.deps.deadLetters.add(records);
    } catch (err) {
      // the dead-letter store is unreachable: keep the events and try them once more a little later
      this.deps.log.warn(
        { output: this.name, count: entries.length, err: String(err) },
        'dead-lettering failed; events kept for another attempt',
      );
      this.scheduleRetry([...entries], {
        ...failure,
        retryAfterMs: Math.max(failure.retryAfterMs ?? 0, IDLE_WAIT_MS),
      });
      return;
    }
    await this.ack(entries);
    this.collector.release(entries);
    this.counts.parked(failure.reason, entries.length);
    this.deps.log.warn(
      {
        output: this.name,
        count: entries.length,
        reason: failure.reason,
        detail: failure.detail,
        uuids: entries.slice(0, 10).map((e) => e.event.uuid),
      },
      'events dead-lettered',
    );
    this.statuses.write(entries, 'dead_lettered', failure.reason, failure.detail);
  }

  private scheduleRetry(entries: QueueEntry[], failure: SendFailure): void {
    this.retries.schedule(entries, failure.retryAfterMs);
    this.counts.retried += entries.length;
    this.statuses.write(entries, 'retrying', failure.reason, failure.detail);
  }

  info(filterText: string, depth: number, oldestAgeMs: number): OutputInfo {
    const circuit = this.breaker.circuit;
    const c = this.counts;
    const info: OutputInfo = {
      name: this.name,
      type: this.type,
      enabled: true,
      filter: filterText,
      health: circuit !== 'closed' ? 'failing' : c.recentError || this.retrying > 0 ? 'degraded' : 'ok',
      circuit,
      queueDepth: depth,
      oldestQueuedAgeMs: oldestAgeMs,
      counters: c.snapshot(),
    };
    if (c.lastError !== undefined) info.lastError = { ...c.lastError };
    return info;
  }

  /**
   * Stops taking work. `drain` (memory): keep delivering until the queue is empty or the deadline.
   * Otherwise (Redis) only in-flight sends finish. At the deadline in-flight sends are aborted.
   * Returns how many entries this process still held or had queued.
   */
  async stop(deadline: number, drain: boolean): Promise<number> {
    this.stopping = true;
    this.drain = drain;
    this.wake();
    const until = (p: Promise<unknown>, ms: number): Promise<unknown> =>
      Promise.race([p, new Promise((r) => setTimeout(r, Math.max(0, ms)))]);
    if (drain) await until(this.loop ?? Promise.resolve(), deadline - Date.now());
    this.drain = false;
    this.wake();
    await until(Promise.allSettled([...this.inflightSends]), deadline - Date.now());
    if (this.inflightSends.size > 0) {
      this.abort.abort(new Error('shutdown'));
      await until(Promise.allSettled([...this.inflightSends]), 1_000);
    }
    this.retries.clear();
    await until(this.loop ?? Promise.resolve(), 1_000);
    await this.output.close?.().catch(() => undefined);
    // depth counts waiting and held entries alike
    return this.queue.depth().catch(() => 0);
  }
}
