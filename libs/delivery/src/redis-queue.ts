import { type createClient } from 'redis';
import type { FalcoEvent } from '@falconer/contracts';
import { decodeStoredEvent, serializeEvent } from '@falconer/falco';
import { OverloadedError, QueueUnavailableError } from './dispatcher';
import type { DeliveryQueue, QueueBackend, QueueEntry } from './queue';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisQueueOptions {
  /** A connected client for ordinary commands; blocking reads use their own duplicates. */
  client: RedisClient;
  /** Key prefix, e.g. `falconer`; streams are `<prefix>:q:<output>`. */
  prefix: string;
  /** Stable per process (host and port) so a restarted process resumes its own pending entries at once. */
  consumer: string;
  bounds: ReadonlyMap<string, number>;
  /** Entries of another consumer idle this long are taken over (default 30 s). */
  claimIdleMs?: number;
  /** How often to look for such entries and to keep our own held entries fresh (default claimIdleMs/3). */
  claimIntervalMs?: number;
  retryAfterSeconds?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** An entry removed without delivery (counted in `falconer_delivery_lost_total`). */
  onLost?: (output: string, reason: 'unreadable' | 'vanished') => void;
}

const GROUP = 'falconer';
/** A blocking read never waits longer than this, so stop and newly due retries are noticed. */
const MAX_BLOCK_MS = 250;
/** A read not answered within this long is treated as a wedged connection. */
const READ_DEADLINE_MS = 5_000;

interface Fields {
  e?: string;
  t?: string;
}

/** XREADGROUP's RESP2 reply for one stream (node-redis types it as a union of RESP2 and RESP3 shapes). */
type StreamsReply =
  { name: string; messages: ({ id: string; message: Record<string, string> } | null)[] }[] | null;

/** The messages of a raw RESP2 XREADGROUP reply for one stream; a deleted entry has `message: null`. */
export function pendingMessages(reply: unknown): { id: string; message: Fields | null }[] {
  if (!Array.isArray(reply)) return [];
  const stream: unknown = reply[0];
  if (!Array.isArray(stream) || !Array.isArray(stream[1])) return [];
  const out: { id: string; message: Fields | null }[] = [];
  for (const m of stream[1] as unknown[]) {
    if (!Array.isArray(m)) continue;
    const [id, raw] = m as [unknown, unknown];
    if (typeof id !== 'string') continue;
    if (!Array.isArray(raw)) {
      out.push({ id, message: null });
      continue;
    }
    const message: Record<string, string> = {};
    for (let i = 0; i + 1 < raw.length; i += 2) message[String(raw[i])] = String(raw[i + 1]);
    out.push({ id, message });
  }
  return out;
}

/** One output's Redis stream read through the consumer group `falconer`. */
class RedisQueue implements DeliveryQueue {
  /** Own pending entries (from before a restart) are read first, from this id on. */
  private pendingCursor: string | undefined = '0';
  /** Entries taken over from dead consumers, waiting to be handed to the worker. */
  readonly claimed: QueueEntry[] = [];
  private reader: RedisClient | undefined;
  /** Rough stream length for the bound check (refreshed from XLEN; pushes and acks adjust it). */
  approxLength = 0;
  held: () => Iterable<string> = () => [];

  constructor(
    readonly output: string,
    readonly key: string,
    readonly bound: number,
    private readonly backend: RedisQueueBackend,
  ) {}

  async start(): Promise<void> {
    try {
      await this.backend.client.xGroupCreate(this.key, GROUP, '0', { MKSTREAM: true });
    } catch (err) {
      if (!String(err).includes('BUSYGROUP')) throw err;
    }
    this.approxLength = await this.backend.client.xLen(this.key);
  }

  private async readerClient(): Promise<RedisClient> {
    if (this.reader === undefined) {
      const reader = this.backend.client.duplicate();
      reader.on('error', (err: unknown) =>
        this.backend.log?.warn({ err: String(err), output: this.output }, 'redis reader error'),
      );
      this.reader = reader;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          reader.connect(),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`redis reader did not connect within ${READ_DEADLINE_MS} ms`)),
              READ_DEADLINE_MS,
            );
          }),
        ]);
      } catch (err) {
        this.reader = undefined;
        reader.destroy();
        throw err;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.reader;
  }

  async read(max: number, waitMs: number): Promise<QueueEntry[]> {
    try {
      return await this.readOnce(max, waitMs);
    } catch (err) {
      // the stream or its group is gone (Redis restarted without persistence, FLUSHDB): make the group
      // again from the start of whatever the stream holds now, so new entries are still delivered
      if (String(err).includes('NOGROUP')) {
        this.backend.log?.warn(
          { output: this.output, key: this.key },
          'consumer group missing; created again',
        );
        await this.start();
        return [];
      }
      throw err;
    }
  }

  private async readOnce(max: number, waitMs: number): Promise<QueueEntry[]> {
    const out: QueueEntry[] = this.claimed.splice(0, max);
    if (out.length >= max) return out;
    const client = this.backend.client;
    if (this.pendingCursor !== undefined) {
      // our own entries from before a restart: XREADGROUP with an id returns this consumer's pending list
      const messages = await this.readPending(this.pendingCursor, max - out.length);
      if (messages.length === 0) this.pendingCursor = undefined;
      else {
        this.pendingCursor = messages[messages.length - 1]?.id;
        const held = new Set(this.held());
        for (const m of messages) {
          if (held.has(m.id)) continue;
          if (m.message === null) this.backend.vanished(this, m.id);
          else this.backend.entry(this, m.id, m.message, out);
        }
        return out;
      }
    }
    const block = out.length > 0 ? 0 : Math.min(Math.max(1, Math.floor(waitMs)), MAX_BLOCK_MS);
    const reader = block > 0 ? await this.readerClient() : client;
    const read = reader.xReadGroup(
      GROUP,
      this.backend.consumer,
      { key: this.key, id: '>' },
      block > 0 ? { COUNT: max - out.length, BLOCK: block } : { COUNT: max - out.length },
    ) as Promise<StreamsReply>;
    const res = await this.withDeadline(read, reader);
    for (const m of res?.[0]?.messages ?? []) if (m !== null) this.backend.entry(this, m.id, m.message, out);
    return out;
  }

  /**
   * One page of this consumer's pending list, read raw: an entry deleted from the stream while still
   * pending comes back as `[id, nil]`, which node-redis's reply transform cannot read (it throws a
   * TypeError on every attempt) — a worker reading through that client would never get past it.
   */
  private async readPending(
    cursor: string,
    count: number,
  ): Promise<{ id: string; message: Fields | null }[]> {
    const reply = await this.backend.client.sendCommand([
      'XREADGROUP',
      'GROUP',
      GROUP,
      this.backend.consumer,
      'COUNT',
      String(count),
      'STREAMS',
      this.key,
      cursor,
    ]);
    return pendingMessages(reply);
  }

  /**
   * A read that has not come back long after its BLOCK time means a wedged connection: drop it and
   * make a new one. Entries Redis may have handed to the dropped connection are pending for this
   * consumer, so the pending list is read again (entries already held are skipped).
   */
  private async withDeadline(read: Promise<StreamsReply>, reader: RedisClient): Promise<StreamsReply> {
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<'stuck'>((resolve) => {
      timer = setTimeout(() => resolve('stuck'), READ_DEADLINE_MS);
    });
    try {
      const res = await Promise.race([read, stuck]);
      if (res !== 'stuck') return res;
    } finally {
      clearTimeout(timer);
    }
    read.catch(() => undefined);
    this.backend.log?.warn(
      { output: this.output },
      `queue read did not return within ${READ_DEADLINE_MS} ms; reconnecting`,
    );
    if (reader === this.reader) {
      this.reader = undefined;
      reader.destroy();
    }
    this.pendingCursor = '0';
    return null;
  }

  interrupt(): void {
    // blocking reads are short (MAX_BLOCK_MS); nothing to wake
  }

  async ack(entries: readonly QueueEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const ids = entries.map((e) => e.id);
    // one consumer group per stream: an acknowledged entry is not needed any more
    await this.backend.client.multi().xAck(this.key, GROUP, ids).xDel(this.key, ids).exec();
    this.approxLength = Math.max(0, this.approxLength - ids.length);
  }

  async depth(): Promise<number> {
    this.approxLength = await this.backend.client.xLen(this.key);
    return this.approxLength;
  }

  async oldestEnqueuedAt(): Promise<number | undefined> {
    const first = await this.backend.client.xRange(this.key, '-', '+', { COUNT: 1 });
    const m = first[0];
    if (m === undefined) return undefined;
    const t = Number((m.message as Fields).t);
    return Number.isFinite(t) ? t : Number(m.id.split('-')[0]);
  }

  /** Takes over entries of consumers idle longer than claimIdleMs; keeps our own held entries fresh. */
  async maintain(claimIdleMs: number): Promise<void> {
    const client = this.backend.client;
    const held = [...this.held()];
    for (let i = 0; i < held.length; i += 500) {
      // XCLAIM to ourselves with JUSTID resets the idle time without counting a delivery
      await client.xClaimJustId(this.key, GROUP, this.backend.consumer, 0, held.slice(i, i + 500));
    }
    const heldSet = new Set(held);
    for (const e of this.claimed) heldSet.add(e.id);
    let cursor = '0-0';
    for (let round = 0; round < 10; round++) {
      const res = await client.xAutoClaim(this.key, GROUP, this.backend.consumer, claimIdleMs, cursor, {
        COUNT: 100,
      });
      for (const m of res.messages)
        if (m !== null && !heldSet.has(m.id)) this.backend.entry(this, m.id, m.message, this.claimed);
      // pending entries deleted from the stream: Redis drops them from the pending list itself
      for (const id of res.deletedMessages) this.backend.vanished(this, id);
      cursor = res.nextId;
      if (cursor === '0-0') break;
    }
  }

  async close(): Promise<void> {
    const r = this.reader;
    this.reader = undefined;
    // while Redis is away there is no one to say goodbye to: QUIT would wait for a reconnection
    if (r !== undefined) {
      if (r.isReady) await r.quit().catch(() => r.destroy());
      else r.destroy();
    }
  }
}

/**
 * Redis Streams: one stream and consumer group per output instance. XADD before ingest answers, XACK
 * (and XDEL) after delivery; a restarted process first reads its own pending entries; entries of a
 * consumer that stayed silent longer than claimIdleMs are taken over by XAUTOCLAIM.
 */
export class RedisQueueBackend implements QueueBackend {
  readonly kind = 'redis';
  readonly client: RedisClient;
  readonly consumer: string;
  readonly log: RedisQueueOptions['log'];
  private readonly queues = new Map<string, RedisQueue>();
  private readonly claimIdleMs: number;
  private readonly claimIntervalMs: number;
  private readonly retryAfterSeconds: number;
  private timer: NodeJS.Timeout | undefined;
  private maintaining = false;
  private readonly onLost: NonNullable<RedisQueueOptions['onLost']>;

  constructor(opts: RedisQueueOptions) {
    this.client = opts.client;
    this.consumer = opts.consumer;
    this.log = opts.log;
    this.claimIdleMs = opts.claimIdleMs ?? 30_000;
    this.claimIntervalMs = opts.claimIntervalMs ?? Math.max(100, Math.floor(this.claimIdleMs / 3));
    this.retryAfterSeconds = opts.retryAfterSeconds ?? 5;
    this.onLost = opts.onLost ?? (() => undefined);
    for (const [name, bound] of opts.bounds)
      this.queues.set(name, new RedisQueue(name, `${opts.prefix}:q:${name}`, bound, this));
  }

  queue(output: string): DeliveryQueue {
    return this.get(output);
  }

  private get(output: string): RedisQueue {
    const q = this.queues.get(output);
    if (q === undefined) throw new Error(`no queue for output ${output}`);
    return q;
  }

  /**
   * Parses a stream entry into `into`. An entry that is not an event (its text corrupted by hand) can
   * never be delivered: it is removed, counted and logged rather than retried for ever. Events Falconer
   * wrote itself are read without ingest limits, so a valid one is never taken for unreadable.
   */
  entry(q: RedisQueue, id: string, fields: Fields, into: QueueEntry[]): void {
    const text = fields.e;
    try {
      if (text === undefined) throw new Error('no event field');
      const event = decodeStoredEvent(text);
      const t = Number(fields.t);
      into.push({
        id,
        event,
        enqueuedAt: Number.isFinite(t) ? t : Date.now(),
        attempts: 0,
        size: text.length,
      });
    } catch (err) {
      this.lose(q, id, 'unreadable', {
        err: String(err),
        excerpt: (text ?? '').slice(0, 200),
      });
    }
  }

  /** A pending entry deleted from its stream by someone else: nothing left to deliver; counted and logged. */
  vanished(q: RedisQueue, id: string): void {
    this.lose(q, id, 'vanished', {});
  }

  private lose(q: RedisQueue, id: string, reason: 'unreadable' | 'vanished', detail: object): void {
    this.onLost(q.output, reason);
    this.log?.error(
      { output: q.output, id, reason, ...detail },
      reason === 'unreadable'
        ? 'unreadable queue entry removed'
        : 'queue entry deleted from its stream while pending',
    );
    void this.client
      .multi()
      .xAck(q.key, GROUP, id)
      .xDel(q.key, id)
      .exec()
      .catch(() => undefined);
  }

  async push(event: FalcoEvent, outputs: readonly string[]): Promise<void> {
    const queues = outputs.map((o) => this.get(o));
    for (const q of queues)
      if (q.approxLength + 1 > q.bound) throw new OverloadedError(q.output, this.retryAfterSeconds);
    const fields = { e: serializeEvent(event), t: String(Date.now()) };
    const m = this.client.multi();
    for (const q of queues) m.xAdd(q.key, '*', fields);
    try {
      await m.exec();
    } catch (err) {
      throw new QueueUnavailableError(outputs[0] ?? '', this.retryAfterSeconds, err);
    }
    for (const q of queues) q.approxLength++;
  }

  async start(): Promise<void> {
    for (const q of this.queues.values()) await q.start();
    this.timer = setInterval(() => void this.maintain(), this.claimIntervalMs);
    this.timer.unref();
  }

  private async maintain(): Promise<void> {
    if (this.maintaining) return;
    this.maintaining = true;
    try {
      for (const q of this.queues.values()) {
        await q.maintain(this.claimIdleMs);
        q.approxLength = await this.client.xLen(q.key);
      }
    } catch (err) {
      this.log?.warn({ err: String(err) }, 'redis queue maintenance failed');
    } finally {
      this.maintaining = false;
    }
  }

  holding(output: string, ids: () => Iterable<string>): void {
    this.get(output).held = ids;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const q of this.queues.values()) await q.close();
  }
}
