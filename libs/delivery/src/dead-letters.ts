import { randomUUID } from 'node:crypto';
import type { DeadLetter, FailureReason, FalcoEvent } from '@falconer/contracts';
import { decodeStoredEvent, serializeEvent, goJsonString } from '@falconer/falco';
import type { RedisClient } from './redis-queue';

export type DeadLetterRecord = DeadLetter<FalcoEvent>;

export interface DeadLetterQuery {
  output?: string;
  /** 0-based */
  offset: number;
  limit: number;
}

/** Parked events: listed newest first, taken out (oldest first) to be replayed. */
export interface DeadLetterStore {
  add(records: readonly DeadLetterRecord[]): Promise<void>;
  list(query: DeadLetterQuery): Promise<{ total: number; results: DeadLetterRecord[] }>;
  /** Removes and returns the named ones (or up to `limit` of one output / of all, oldest first). */
  take(selection: { ids?: readonly string[]; output?: string; limit: number }): Promise<DeadLetterRecord[]>;
  count(output?: string): Promise<number>;
  close(): Promise<void>;
}

export function newDeadLetter(
  output: string,
  event: FalcoEvent,
  reason: FailureReason,
  detail: string,
  attempts: number,
  at: Date,
): DeadLetterRecord {
  return { id: randomUUID(), output, event, reason, detail, attempts, at: at.toISOString() };
}

/** The API shape as JSON text; events are written with serializeEvent so big numbers stay exact. */
export function deadLetterJson(d: DeadLetterRecord): string {
  return (
    '{"id":' +
    goJsonString(d.id) +
    ',"output":' +
    goJsonString(d.output) +
    ',"event":' +
    serializeEvent(d.event) +
    ',"reason":' +
    goJsonString(d.reason) +
    ',"detail":' +
    goJsonString(d.detail) +
    ',"attempts":' +
    String(d.attempts) +
    ',"at":' +
    goJsonString(d.at) +
    '}'
  );
}

export function deadLettersResponseJson(total: number, results: readonly DeadLetterRecord[]): string {
  return `{"statistics":{"all":${total}},"results":[${results.map(deadLetterJson).join(',')}]}`;
}

function parseDeadLetter(text: string): DeadLetterRecord {
  const raw = JSON.parse(text) as Omit<DeadLetterRecord, 'event'> & { e: string };
  return {
    id: raw.id,
    output: raw.output,
    event: decodeStoredEvent(raw.e),
    reason: raw.reason,
    detail: raw.detail,
    attempts: raw.attempts,
    at: raw.at,
  };
}

function storeDeadLetter(d: DeadLetterRecord): string {
  return JSON.stringify({
    id: d.id,
    output: d.output,
    reason: d.reason,
    detail: d.detail,
    attempts: d.attempts,
    at: d.at,
    e: serializeEvent(d.event),
  });
}

/**
 * Embedded mode. Bounded: past `max` the oldest are dropped and counted (`onDrop`), so a destination
 * that refuses everything for days cannot take all memory.
 */
export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly records = new Map<string, DeadLetterRecord>();

  constructor(
    private readonly max = 100_000,
    private readonly onDrop: (record: DeadLetterRecord) => void = () => undefined,
  ) {}

  add(records: readonly DeadLetterRecord[]): Promise<void> {
    for (const r of records) this.records.set(r.id, r);
    while (this.records.size > this.max) {
      const oldest = this.records.values().next().value as DeadLetterRecord;
      this.records.delete(oldest.id);
      this.onDrop(oldest);
    }
    return Promise.resolve();
  }

  private matching(output?: string): DeadLetterRecord[] {
    const all = [...this.records.values()];
    return output === undefined ? all : all.filter((r) => r.output === output);
  }

  list(query: DeadLetterQuery): Promise<{ total: number; results: DeadLetterRecord[] }> {
    const all = this.matching(query.output).reverse();
    return Promise.resolve({
      total: all.length,
      results: all.slice(query.offset, query.offset + query.limit),
    });
  }

  take(selection: { ids?: readonly string[]; output?: string; limit: number }): Promise<DeadLetterRecord[]> {
    const picked =
      selection.ids !== undefined
        ? selection.ids
            .map((id) => this.records.get(id))
            .filter(
              (r): r is DeadLetterRecord =>
                r !== undefined && (selection.output === undefined || r.output === selection.output),
            )
        : this.matching(selection.output).slice(0, selection.limit);
    for (const r of picked) this.records.delete(r.id);
    return Promise.resolve(picked);
  }

  count(output?: string): Promise<number> {
    return Promise.resolve(output === undefined ? this.records.size : this.matching(output).length);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Redis: a hash id → record, and sorted sets by time (all, per output). Taking is a MULTI of
 * HGET+HDEL per id, so two replicas replaying at once never both get one record.
 */
export class RedisDeadLetterStore implements DeadLetterStore {
  private readonly hash: string;
  private readonly all: string;

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {
    this.hash = `${prefix}:dl`;
    this.all = `${prefix}:dl:all`;
  }

  private byOutput(output: string): string {
    return `${this.prefix}:dl:o:${output}`;
  }

  async add(records: readonly DeadLetterRecord[]): Promise<void> {
    if (records.length === 0) return;
    const m = this.client.multi();
    for (const r of records) {
      const score = Date.parse(r.at);
      m.hSet(this.hash, r.id, storeDeadLetter(r));
      m.zAdd(this.all, { score, value: r.id });
      m.zAdd(this.byOutput(r.output), { score, value: r.id });
    }
    await m.exec();
  }

  private async load(ids: readonly string[]): Promise<DeadLetterRecord[]> {
    if (ids.length === 0) return [];
    const texts = await this.client.hmGet(this.hash, [...ids]);
    const out: DeadLetterRecord[] = [];
    for (const t of texts) if (typeof t === 'string') out.push(parseDeadLetter(t));
    return out;
  }

  async list(query: DeadLetterQuery): Promise<{ total: number; results: DeadLetterRecord[] }> {
    const index = query.output === undefined ? this.all : this.byOutput(query.output);
    const [total, ids] = await Promise.all([
      this.client.zCard(index),
      this.client.zRange(index, query.offset, query.offset + query.limit - 1, { REV: true }),
    ]);
    return { total, results: await this.load(ids) };
  }

  async take(selection: {
    ids?: readonly string[];
    output?: string;
    limit: number;
  }): Promise<DeadLetterRecord[]> {
    const ids =
      selection.ids ??
      (await this.client.zRange(
        selection.output === undefined ? this.all : this.byOutput(selection.output),
        0,
        selection.limit - 1,
      ));
    const out: DeadLetterRecord[] = [];
    for (const id of ids) {
      const [text, deleted] = (await this.client
        .multi()
        .hGet(this.hash, id)
        .hDel(this.hash, id)
        .exec()) as unknown as [string | null, number];
      if (typeof text !== 'string' || deleted !== 1) continue;
      const record = parseDeadLetter(text);
      if (selection.output !== undefined && record.output !== selection.output) {
        await this.client.hSet(this.hash, id, text);
        continue;
      }
      await this.client.multi().zRem(this.all, id).zRem(this.byOutput(record.output), id).exec();
      out.push(record);
    }
    return out;
  }

  count(output?: string): Promise<number> {
    return this.client.zCard(output === undefined ? this.all : this.byOutput(output));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
