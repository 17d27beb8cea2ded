import type {
  CircuitState,
  DeliveryStatus,
  FailureReason,
  FalcoEvent,
  OutputInfo,
} from '@falconer/contracts';
import type { BatchPolicy, Output, SendFailure, SendResult } from '@falconer/outputs-core';
import { serializeEvent } from '@falconer/falco';
import { retryDelay } from './backoff';
import { CircuitBreaker } from './breaker';
import { newDeadLetter, type DeadLetterRecord, type DeadLetterStore } from './dead-letters';
import type { DeliveryMetrics, LatencySeries, OutputLabels } from './metrics';
import type { DeliveryQueue, QueueEntry } from './queue';
import type { DeliverySettings } from './settings';

export interface DeliveryLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Where delivery states of events are recorded (the event store has this method). */
export interface DeliveryStatusSink {
  setDelivery(uuid: string, status: DeliveryStatus): Promise<unknown>;
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

/** A worker waits at most this long for new entries before looking at its state again. */
const IDLE_WAIT_MS = 1_000;

/** The closed set of reasons a delivery attempt fails (and a dead letter carries). */
export const FAILURE_REASONS: readonly FailureReason[] = [
  'client_error',
  'auth_error',
  'rate_limited',
  'server_error',
  'timeout',
  'network',
];

/**
 * Delivers one output's queue: bounded concurrency, batches, per-request timeout, retries with backoff
 * and Retry-After, the circuit breaker, dead letters. Entries stay unacknowledged (and counted in the
 * queue) until delivered or dead-lettered, so with Redis a crash at any point loses nothing.
 */
export class OutputWorker {
  readonly name: string;
  readonly type: string;
  private readonly output: Output;
  private readonly s: DeliverySettings;
  private readonly queue: DeliveryQueue;
  readonly breaker: CircuitBreaker;
  private readonly batch: BatchPolicy;
  private readonly random: () => number;
  private readonly maxHeld: number;

  /** Entries read and not yet acknowledged, by id. */
  private readonly held = new Map<string, QueueEntry>();
  /** Retries that are due, sent before new entries. */
  private ready: QueueEntry[] = [];
  private readonly retryTimers = new Map<NodeJS.Timeout, QueueEntry[]>();
  private waitingRetry = 0;
  private inflight = 0;
  private readonly inflightSends = new Set<Promise<void>>();
  private pausedUntil = 0;
  private initialized: boolean;
  private running = false;
  private stopping = false;
  private drain = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly abort = new AbortController();

  readonly counters = {
    matched: 0,
    sent: 0,
    retried: 0,
    deadLettered: 0,
    failed: {} as Partial<Record<FailureReason, number>>,
  };
  lastError: OutputInfo['lastError'];
  private lastSuccessAt = 0;

  constructor(private readonly deps: WorkerDeps) {
    this.output = deps.output;
    this.name = deps.output.name;
    this.type = deps.output.type;
    this.labels = { output: this.name, type: this.type };
    this.latency = deps.metrics.latency.seriesFor(this.labels);
    this.s = deps.settings;
    this.queue = deps.queue;
    this.breaker = new CircuitBreaker(deps.settings.breaker);
    const own = deps.output.batch;
    this.batch = {
      maxEvents: deps.settings.batch.maxEvents ?? own?.maxEvents ?? 1,
      flushIntervalMs: deps.settings.batch.flushIntervalMs ?? own?.flushIntervalMs ?? 0,
      ...(own?.maxBytes !== undefined ? { maxBytes: own.maxBytes } : {}),
    };
    this.random = deps.random ?? Math.random;
    this.maxHeld = Math.max(deps.maxHeld ?? 10_000, this.batch.maxEvents);
    this.initialized = deps.output.init === undefined;
    deps.onHolding?.(() => this.held.keys());
    deps.metrics.init(this.name, this.type, FAILURE_REASONS);
  }

  /** prom-client label set of this output; one object, not one per observation. */
  private readonly labels: OutputLabels;
  private readonly latency: LatencySeries;

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
    this.counters.matched += n;
    this.deps.metrics.countMatched(this.labels, n);
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
    return this.waitingRetry + this.ready.length;
  }

  get inFlight(): number {
    return this.inflight;
  }

  get heldCount(): number {
    return this.held.size;
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
      if (this.stopping && this.drain && this.held.size === 0 && (await this.queue.depth()) === 0) break;
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
      if (this.ready.length === 0 && this.held.size >= this.maxHeld) {
        // holding as many as allowed, all waiting out their backoff: wait for a retry to come due
        await this.sleep(IDLE_WAIT_MS);
        continue;
      }
      let batch: QueueEntry[];
      try {
        batch = await this.collect();
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

  private sizeOf(e: QueueEntry): number {
    if (e.size === undefined) e.size = serializeEvent(e.event).length;
    return e.size;
  }

  /** The next batch: due retries first, then new entries; waits up to flushIntervalMs to fill a batch. */
  private async collect(): Promise<QueueEntry[]> {
    const max = this.batch.maxEvents;
    const batch = this.ready.splice(0, max);
    let bytes = 0;
    let taken = 0;
    const fits = (e: QueueEntry): boolean => {
      if (this.batch.maxBytes === undefined) return true;
      const size = this.sizeOf(e) + 1;
      if (taken > 0 && bytes + size > this.batch.maxBytes) return false;
      bytes += size;
      taken++;
      return true;
    };
    if (this.batch.maxBytes !== undefined) {
      const kept: QueueEntry[] = [];
      for (const e of batch.splice(0)) (fits(e) ? kept : this.ready).push(e);
      batch.push(...kept);
    }
    let deadline: number | undefined;
    while (batch.length < max && this.held.size < this.maxHeld) {
      const wait = batch.length === 0 ? IDLE_WAIT_MS : deadline === undefined ? 0 : deadline - Date.now();
      const room = Math.min(max - batch.length, this.maxHeld - this.held.size);
      // filling a batch: no need to hear of each new entry, only of a full batch or the deadline
      const got = await this.queue.read(room, Math.max(0, wait), batch.length === 0 ? 1 : room);
      for (const e of got) {
        this.held.set(e.id, e);
        if (fits(e)) batch.push(e);
        else this.ready.push(e);
      }
      if (!this.shouldRun() || this.ready.length > 0) break;
      if (batch.length === 0) {
        // nothing came: let the loop look at its state (stop, breaker, due retries) again
        if (got.length === 0) break;
        continue;
      }
      if (deadline === undefined) {
        if (this.batch.flushIntervalMs <= 0) break;
        deadline = Date.now() + this.batch.flushIntervalMs;
      }
      if (Date.now() >= deadline) break;
    }
    return batch;
  }

  private async sendOnce(events: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    if (!this.initialized && this.output.init !== undefined) {
      const r = await this.output.init(signal);
      if (!r.ok) return r;
      this.initialized = true;
    }
    return this.output.send(events, signal);
  }

  /** One attempt for a batch, with the timeout enforced even if the output ignores its signal. */
  private async attempt(events: readonly FalcoEvent[]): Promise<SendResult> {
    const timeout = AbortSignal.timeout(this.s.timeoutMs);
    const signal = AbortSignal.any([timeout, this.abort.signal]);
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<SendFailure>((resolve) => {
      const fire = (): void =>
        resolve({
          ok: false,
          retryable: true,
          reason: 'timeout',
          detail: this.abort.signal.aborted
            ? 'aborted at shutdown'
            : `no answer within ${this.s.timeoutMs} ms`,
        });
      // a little later than the signal, so an output that honours the signal reports its own detail
      timer = setTimeout(fire, this.s.timeoutMs + 250);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          timer = setTimeout(fire, 250);
        },
        { once: true },
      );
    });
    try {
      return await Promise.race([
        this.sendOnce(events, signal).catch((err: unknown): SendFailure => ({
          ok: false,
          retryable: true,
          reason: 'network',
          detail: `output failed: ${err instanceof Error ? err.message : String(err)}`,
        })),
        guard,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async send(batch: QueueEntry[]): Promise<void> {
    for (const e of batch) e.attempts++;
    const started = Date.now();
    const result = await this.attempt(batch.map((e) => e.event));
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
    const failedSet = result.failedIndexes !== undefined || result.rejectedIndexes !== undefined;
    const retry: QueueEntry[] = [];
    const dead: QueueEntry[] = [];
    const ok: QueueEntry[] = [];
    if (failedSet) {
      const failed = new Set(result.failedIndexes ?? []);
      const rejected = new Set(result.rejectedIndexes ?? []);
      batch.forEach((e, i) => (rejected.has(i) ? dead : failed.has(i) ? retry : ok).push(e));
    } else if (result.retryable) retry.push(...batch);
    else dead.push(...batch);

    const failedCount = retry.length + dead.length;
    this.counters.failed[result.reason] = (this.counters.failed[result.reason] ?? 0) + failedCount;
    this.deps.metrics.failed.inc({ ...this.labels, reason: result.reason }, failedCount);
    this.deps.metrics.outputsTotal.inc({ destination: this.type, status: 'error' }, failedCount);
    this.lastError = { reason: result.reason, detail: result.detail, at: new Date().toISOString() };

    // the breaker counts only failures that say the destination is unwell; a refused event (4xx) or a
    // partly delivered batch shows it is up
    if (ok.length > 0 || (!result.retryable && !failedSet)) this.succeeded();
    else this.breaker.failure();
    if (result.retryAfterMs !== undefined)
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + result.retryAfterMs);

    if (ok.length > 0) await this.delivered(ok);
    const exhausted = retry.filter((e) => e.attempts >= this.s.attempts);
    const again = retry.filter((e) => e.attempts < this.s.attempts);
    dead.push(...exhausted);
    if (dead.length > 0) await this.deadLetter(dead, result);
    if (again.length > 0) this.scheduleRetry(again, result);
    this.deps.log.debug(
      {
        output: this.name,
        reason: result.reason,
        detail: result.detail,
        retry: again.length,
        dead: dead.length,
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
    if (this.retryTimers.size === 0) return;
    for (const [timer, group] of this.retryTimers) {
      clearTimeout(timer);
      this.waitingRetry -= group.length;
      this.ready.push(...group);
    }
    this.retryTimers.clear();
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
    this.lastSuccessAt = now;
    for (const e of entries) {
      this.held.delete(e.id);
      this.deps.metrics.latency.observe(this.latency, (now - e.enqueuedAt) / 1000);
    }
    this.counters.sent += entries.length;
    this.deps.metrics.sent.inc(this.labels, entries.length);
    this.deps.metrics.outputsTotal.inc({ destination: this.type, status: 'ok' }, entries.length);
    this.status(entries, 'delivered', 'ok');
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
    for (const e of entries) this.held.delete(e.id);
    this.counters.deadLettered += entries.length;
    this.deps.metrics.deadLettered.inc({ ...this.labels, reason: failure.reason }, entries.length);
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
    this.status(entries, 'dead_lettered', failure.reason, failure.detail);
  }

  private scheduleRetry(entries: QueueEntry[], failure: SendFailure): void {
    // one timer per attempt number: entries of one batch share their failure count
    const byAttempts = new Map<number, QueueEntry[]>();
    for (const e of entries) byAttempts.set(e.attempts, [...(byAttempts.get(e.attempts) ?? []), e]);
    for (const [attempts, group] of byAttempts) {
      const delay = retryDelay(
        attempts,
        this.s.backoffBaseMs,
        this.s.backoffCapMs,
        failure.retryAfterMs,
        this.random,
      );
      this.waitingRetry += group.length;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.waitingRetry -= group.length;
        this.ready.push(...group);
        this.wake();
      }, delay);
      this.retryTimers.set(timer, group);
    }
    this.counters.retried += entries.length;
    this.deps.metrics.retried.inc(this.labels, entries.length);
    this.status(entries, 'retrying', failure.reason, failure.detail);
  }

  private status(
    entries: readonly QueueEntry[],
    state: DeliveryStatus['state'],
    reason: DeliveryStatus['reason'],
    detail?: string,
  ): void {
    const sink = this.deps.sink;
    if (sink === undefined) return;
    const updatedAt = new Date().toISOString();
    // entries with the same attempt count share one status object: the store keeps it with each event
    let shared: DeliveryStatus | undefined;
    for (const e of entries) {
      if (shared === undefined || shared.attempts !== e.attempts) {
        shared = { output: this.name, state, attempts: e.attempts, updatedAt };
        if (reason !== undefined) shared.reason = reason;
        if (detail !== undefined) shared.detail = detail;
      }
      sink.setDelivery(e.event.uuid, shared).catch(this.statusNotRecorded);
    }
  }

  private readonly statusNotRecorded = (err: unknown): void =>
    this.deps.log.debug({ err: String(err) }, 'delivery status not recorded');

  info(filterText: string, depth: number, oldestAgeMs: number): OutputInfo {
    const circuit = this.breaker.circuit;
    const recentError = this.lastError !== undefined && Date.parse(this.lastError.at) > this.lastSuccessAt;
    const info: OutputInfo = {
      name: this.name,
      type: this.type,
      enabled: true,
      filter: filterText,
      health: circuit !== 'closed' ? 'failing' : recentError || this.retrying > 0 ? 'degraded' : 'ok',
      circuit,
      queueDepth: depth,
      oldestQueuedAgeMs: oldestAgeMs,
      counters: { ...this.counters, failed: { ...this.counters.failed } },
    };
    if (this.lastError !== undefined) info.lastError = { ...this.lastError };
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
    for (const t of this.retryTimers.keys()) clearTimeout(t);
    this.retryTimers.clear();
    await until(this.loop ?? Promise.resolve(), 1_000);
    await this.output.close?.().catch(() => undefined);
    // depth counts waiting and held entries alike
    return this.queue.depth().catch(() => 0);
  }
}
