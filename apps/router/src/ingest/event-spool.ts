import type { Logger } from 'pino';
import type { FalcoEvent, SpoolStatus } from '@falconer/contracts';
import { OverloadedError, QueueUnavailableError } from '@falconer/delivery';
import { DuplicateEventError } from '@falconer/store';
import { DeadlineError, withDeadline } from '@falconer/util';

/**
 * Where an accepted event goes before ingest answers 200: the history (`recorded`, the event as shown,
 * silence marks included; the event itself by default), then each target output's queue (`event`).
 */
export interface EventWriter {
  write(event: FalcoEvent, targets: readonly string[], recorded?: FalcoEvent): Promise<void>;
}

/** The two writes an accepted event needs (the history store and the delivery dispatcher). */
export interface EventSink {
  record(event: FalcoEvent): Promise<void>;
  enqueue(event: FalcoEvent, targets: readonly string[]): Promise<void>;
}

/** No spool (memory mode, or `redis.spool.maxevents: 0`): record, then queue, and fail as they fail. */
export function directWriter(sink: EventSink): EventWriter {
  return {
    async write(event, targets, recorded = event) {
      await sink.record(recorded);
      if (targets.length > 0) await sink.enqueue(event, targets);
    },
  };
}

/** The spool is at its bound (`redis.spool.maxevents`) while Redis is unreachable: ingest answers 503. */
export class SpoolFullError extends OverloadedError {
  constructor(
    readonly capacity: number,
    retryAfterSeconds: number,
  ) {
    super('spool', retryAfterSeconds);
    this.name = 'SpoolFullError';
    this.message = `Redis is unreachable and the spool of events accepted meanwhile is full (${capacity} events, redis.spool.maxevents)`;
  }
}

export interface SpoolOptions {
  /** `redis.spool.maxevents`. */
  maxEvents: number;
  /** How long a request waits for Redis before its event is spooled (every write is bounded). */
  timeoutMs?: number;
  /** Pause between drain attempts while Redis stays unreachable. */
  retryMs?: number;
  /** Retry-After of the 503 past the bound. */
  retryAfterSeconds?: number;
  /** Events written to Redis concurrently while draining (one connection: still sent in order). */
  drainChunk?: number;
  log: Logger;
  now?: () => number;
}

interface Entry {
  /** What the queues get. */
  readonly event: FalcoEvent;
  /** What the history gets (same uuid). */
  readonly recorded: FalcoEvent;
  readonly targets: readonly string[];
  /** In the history already (a write may have stopped between the history and the queues). */
  inHistory: boolean;
  /** Record attempts sent: after one, a "duplicate uuid" answer means that attempt reached Redis. */
  tries: number;
  done: boolean;
  /**
   * A write still under way (a request stopped waiting for it): the drain waits for its outcome (true:
   * written) and never sends a second one beside it.
   */
  pending: Promise<boolean> | undefined;
}

/** The errors that are an answer about the event itself, not about Redis being away. */
function refusesEvent(err: unknown): boolean {
  return (
    err instanceof DuplicateEventError ||
    (err instanceof OverloadedError && !(err instanceof QueueUnavailableError))
  );
}

/**
 * While Redis is unreachable, accepted events are held here, in order, up to `maxEvents`, and written to
 * Redis (history, then delivery queues) in that order once it answers again; ingest keeps answering 200
 * meanwhile, and 503 with Retry-After past the bound. While the spool holds anything, new events join
 * its tail, so the order is kept. The spool lives in this process only: a process killed during an
 * outage loses it (ADR 0013).
 */
export class EventSpool implements EventWriter {
  private readonly entries: Entry[] = [];
  private head = 0;
  private readonly uuids = new Set<string>();
  private draining: Promise<void> | undefined;
  private stopped = false;
  /** After stop(): the drain gives up once this time has passed. */
  private stopBy = Infinity;
  private wake: (() => void) | undefined;
  private since: number | undefined;
  private spooledInOutage = 0;
  private fullLogged = false;
  /** Counts for the metrics. */
  spooledTotal = 0;
  drainedTotal = 0;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly retryAfterSeconds: number;
  private readonly chunk: number;
  private readonly now: () => number;

  constructor(
    private readonly sink: EventSink,
    private readonly opts: SpoolOptions,
  ) {
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.retryMs = opts.retryMs ?? 500;
    this.retryAfterSeconds = opts.retryAfterSeconds ?? 5;
    this.chunk = opts.drainChunk ?? 64;
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  get capacity(): number {
    return this.opts.maxEvents;
  }

  status(): SpoolStatus {
    return {
      events: this.size,
      capacity: this.capacity,
      ...(this.since !== undefined ? { since: new Date(this.since).toISOString() } : {}),
    };
  }

  /** A spooled event (not yet in Redis), so `GET /api/v1/events/{uuid}` finds it during an outage. */
  holds(uuid: string): FalcoEvent | undefined {
    if (!this.uuids.has(uuid)) return undefined;
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i] as Entry;
      if (!e.done && e.event.uuid === uuid) return e.recorded;
    }
    return undefined;
  }

  /** Spooled events, oldest first. */
  *held(): Iterable<FalcoEvent> {
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i] as Entry;
      if (!e.done) yield e.recorded;
    }
  }

  async write(event: FalcoEvent, targets: readonly string[], recorded = event): Promise<void> {
    if (this.stopped) throw new QueueUnavailableError('spool', 1, new Error('the router is shutting down'));
    if (this.size > 0) {
      // Redis is away or the spool is draining: join the tail, so the order is kept
      if (this.uuids.has(event.uuid)) throw new DuplicateEventError(event.uuid);
      this.append(this.entry(event, targets, recorded), undefined);
      return;
    }
    const entry = this.entry(event, targets, recorded);
    const attempt = this.writeEntry(entry);
    try {
      await withDeadline(attempt, this.timeoutMs, 'Redis');
    } catch (err) {
      if (refusesEvent(err)) throw err;
      if (err instanceof DeadlineError)
        entry.pending = attempt.then(
          () => true,
          () => false,
        );
      this.append(entry, err);
    }
  }

  private entry(event: FalcoEvent, targets: readonly string[], recorded: FalcoEvent): Entry {
    return { event, recorded, targets, inHistory: false, tries: 0, done: false, pending: undefined };
  }

  private append(entry: Entry, cause: unknown): void {
    if (this.size >= this.opts.maxEvents) {
      if (!this.fullLogged) {
        this.fullLogged = true;
        this.opts.log.error(
          { capacity: this.capacity },
          'spool full: Redis is still unreachable and redis.spool.maxevents events wait in this process; ingest answers 503 with Retry-After until it drains (logged once per outage)',
        );
      }
      throw new SpoolFullError(this.capacity, this.retryAfterSeconds);
    }
    if (this.size === 0 && this.since === undefined) {
      this.since = this.now();
      this.spooledInOutage = 0;
      this.opts.log.warn(
        { capacity: this.capacity, err: cause instanceof Error ? cause.message : JSON.stringify(cause) },
        'Redis unreachable: accepted events are spooled in memory (in order, up to redis.spool.maxevents) and written to Redis when it is back; a process killed meanwhile loses them (ADR 0013)',
      );
    }
    this.entries.push(entry);
    this.uuids.add(entry.event.uuid);
    this.spooledTotal++;
    this.spooledInOutage++;
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  /** History first, then the queues; a repeat after a lost answer does neither twice. */
  private async writeEntry(e: Entry): Promise<void> {
    if (!e.inHistory) {
      e.tries++;
      try {
        await this.sink.record(e.recorded);
      } catch (err) {
        // an earlier attempt reached Redis and only its answer was lost
        if (!(err instanceof DuplicateEventError && e.tries > 1)) throw err;
      }
      e.inHistory = true;
    }
    if (e.targets.length > 0) await this.sink.enqueue(e.event, e.targets);
  }

  private async drain(): Promise<void> {
    while (this.size > 0) {
      const batch: Entry[] = [];
      for (let i = this.head; i < this.entries.length && batch.length < this.chunk; i++) {
        const e = this.entries[i] as Entry;
        if (!e.done) batch.push(e);
      }
      const results = await Promise.allSettled(batch.map((e) => this.drainOne(e)));
      this.compact();
      if (results.every((r) => r.status === 'fulfilled')) continue;
      if (this.stopped && this.now() >= this.stopBy) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.retryMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
    if (this.since !== undefined) {
      this.opts.log.info(
        { events: this.spooledInOutage, spooledForMs: this.now() - this.since },
        'spool drained: every event spooled while Redis was unreachable is in Redis (history and queues)',
      );
    }
    this.since = undefined;
    this.fullLogged = false;
  }

  private async drainOne(e: Entry): Promise<void> {
    if (e.pending !== undefined) {
      // the request's own attempt is still under way: its outcome decides, never a second write beside it
      const written = await e.pending;
      e.pending = undefined;
      if (written) {
        e.done = true;
        this.drainedTotal++;
        return;
      }
    }
    try {
      await this.writeEntry(e);
    } catch (err) {
      if (err instanceof DuplicateEventError) {
        // another event with this uuid was stored while this one waited: the stored one is never replaced
        this.opts.log.warn(
          { uuid: e.event.uuid },
          'spooled event not written: an event with its uuid is already stored',
        );
      } else throw err;
    }
    e.done = true;
    this.drainedTotal++;
  }

  /** Drops the written entries at the head. */
  private compact(): void {
    while (this.head < this.entries.length && (this.entries[this.head] as Entry).done) {
      this.uuids.delete((this.entries[this.head] as Entry).event.uuid);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }

  /**
   * Shutdown: takes no more events and keeps draining until `deadlineMs` has passed; returns what is
   * still unwritten (it is lost with the process — the caller logs it).
   */
  async stop(deadlineMs: number): Promise<{ unwritten: number; first?: string; last?: string }> {
    this.stopped = true;
    this.stopBy = this.now() + deadlineMs;
    const draining = this.draining;
    if (draining !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        draining,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, deadlineMs));
        }),
      ]);
      clearTimeout(timer);
      this.wake?.();
    }
    const left = [...this.held()];
    return {
      unwritten: left.length,
      ...(left.length > 0 ? { first: left[0]?.uuid, last: left[left.length - 1]?.uuid } : {}),
    };
  }
}
