import type { RedisClient } from '@falconer/redis';
import {
  attemptOf,
  DELIVERY_ATTEMPTS_MAX,
  type DeliveryStatus,
  type FalcoEvent,
  type RemediationRecord,
} from '@falconer/contracts';
import { serializeStoredEvent } from '@falconer/falco';
import { eventTimeMs, ttlCutoff } from '../event-query';
import {
  ADD_REMEDIATION_SCRIPT,
  indexEntries,
  RECORD_SCRIPT,
  SET_DELIVERY_SCRIPT,
  TRIM_SCRIPT,
  type RedisKeys,
} from './redis-keys';
import { isNoScript, type RedisScripts } from './redis-scripts';

/** Events deleted per trim script call, so one call never blocks Redis for long. */
const TRIM_BATCH = 1000;

export interface RetentionOptions {
  maxEvents: number;
  /** <= 0: no TTL. */
  ttlMs: number;
  now: () => number;
}

/**
 * Every write to the history, and retention: events kept by receipt time, at most `maxEvents` (trimmed
 * when a write passes the bound) and none received before the TTL (trimmed by `trim()`, which the store
 * calls periodically and before each query). Delivery states and remediations are added only to events
 * still kept.
 */
export class RedisHistoryWriter {
  private trimming: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly scripts: RedisScripts,
    private readonly retention: RetentionOptions,
  ) {}

  /** Loads the record script now, so a Redis that refuses scripts fails the start. */
  async loadScripts(): Promise<void> {
    await this.scripts.sha(RECORD_SCRIPT);
  }

  /** Events received before this time (epoch ms) are no longer kept; -Infinity without a TTL. */
  cutoff(): number {
    return ttlCutoff(this.retention.now(), this.retention.ttlMs);
  }

  /** Records events in one pipeline, one atomic script call each (ingest batches, benchmarks). */
  async recordMany(events: readonly FalcoEvent[]): Promise<void> {
    if (events.length === 0) return;
    const k = this.keys;
    const received = String(this.retention.now());
    const calls: { keys: string[]; arguments: string[] }[] = [];
    for (const event of events) {
      // kept by receipt time whatever the event's own time (retention counts from receipt)
      const keys = [k.event(event.uuid), k.all(), k.received()];
      const args = [serializeStoredEvent(event), String(eventTimeMs(event)), event.uuid, received];
      for (const [dim, value] of indexEntries(event)) {
        keys.push(k.index(dim, value), k.values(dim));
        args.push(value);
      }
      calls.push({ keys, arguments: args });
    }
    let replies: unknown[];
    try {
      replies = await this.pipeline(calls, await this.scripts.sha(RECORD_SCRIPT));
    } catch (err) {
      // Redis restarted or SCRIPT FLUSH: load the script again; recording is idempotent, so retry once
      if (!isNoScript(err)) throw err;
      replies = await this.pipeline(calls, await this.scripts.sha(RECORD_SCRIPT, true));
    }
    // a little slack (0.1 %) so a full store trims in batches rather than on every write
    const size = Number(replies[replies.length - 1]);
    const max = this.retention.maxEvents;
    if (size > max + Math.floor(max / 1000)) await this.trim();
  }

  private async pipeline(
    calls: readonly { keys: string[]; arguments: string[] }[],
    sha: string,
  ): Promise<unknown[]> {
    const m = this.client.multi();
    for (const c of calls) m.evalSha(sha, c);
    m.zCard(this.keys.received());
    const replies: unknown[] = await m.execAsPipeline();
    return replies;
  }

  /** Applies retention now (count and TTL); concurrent calls share one run. */
  trim(): Promise<void> {
    this.trimming ??= this.runTrim().finally(() => {
      this.trimming = undefined;
    });
    return this.trimming;
  }

  /** Trims every `everyMs` (<= 0: never), reporting failures to `onError`. */
  trimEvery(everyMs: number, onError: ((err: Error) => void) | undefined): void {
    if (everyMs <= 0) return;
    this.timer = setInterval(() => {
      this.trim().catch((err: unknown) => onError?.(err instanceof Error ? err : new Error(String(err))));
    }, everyMs);
    this.timer.unref();
  }

  /** Stops the periodic trim and waits for a running one. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.trimming?.catch(() => undefined);
  }

  private async runTrim(): Promise<void> {
    const cutoff = this.cutoff();
    for (;;) {
      const removed = Number(
        await this.scripts.run(TRIM_SCRIPT, {
          arguments: [
            this.keys.prefix,
            String(this.retention.maxEvents),
            cutoff === -Infinity ? '' : String(cutoff),
            String(TRIM_BATCH),
          ],
        }),
      );
      if (removed < TRIM_BATCH) return;
    }
  }

  /**
   * Queries filter on the events' own times, but retention counts from receipt: events received before
   * the TTL are removed first (one cheap script call when there are none), so a query never returns one.
   */
  async expire(): Promise<void> {
    if (this.retention.ttlMs > 0) await this.trim();
  }

  async isLive(uuid: string): Promise<boolean> {
    const t = await this.client.zScore(this.keys.received(), uuid);
    return t !== null && t >= this.cutoff();
  }

  async setDelivery(uuid: string, status: DeliveryStatus): Promise<boolean> {
    if (!(await this.isLive(uuid))) return false;
    const r = await this.scripts.run(SET_DELIVERY_SCRIPT, {
      // the status, and the attempt it ends appended to the event's timeline (the last DELIVERY_ATTEMPTS_MAX)
      keys: [this.keys.event(uuid), this.keys.deliveries(uuid), this.keys.attempts(uuid)],
      arguments: [
        status.output,
        JSON.stringify(status),
        JSON.stringify(attemptOf(status)),
        String(DELIVERY_ATTEMPTS_MAX),
      ],
    });
    return Number(r) === 1;
  }

  async addRemediation(record: RemediationRecord): Promise<boolean> {
    if (!(await this.isLive(record.uuid))) return false;
    const r = await this.scripts.run(ADD_REMEDIATION_SCRIPT, {
      keys: [this.keys.event(record.uuid), this.keys.remediations(record.uuid)],
      arguments: [JSON.stringify(record)],
    });
    return Number(r) === 1;
  }
}
