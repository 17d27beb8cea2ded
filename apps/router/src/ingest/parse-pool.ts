import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import {
  EventValidationError,
  fromTransfer,
  parseEvent,
  type EventLimits,
  type ParsedEvent,
  type TransferredEvent,
  type TransferredRefusal,
} from '@falconer/falco';

/** One body sent to the worker: its bytes as a latin1 string (one byte per character, copied once). */
export interface ParseRequest {
  id: number;
  body: string;
}

/** The worker's answer: the parsed event, or why it was refused; neither = parse it here (see parse()). */
export interface ParseReply {
  id: number;
  parsed?: TransferredEvent;
  refusal?: TransferredRefusal;
}

/** Called with the parsed event, or with why it could not be (an EventValidationError for a bad body). */
export type ParseDone = (result: ParsedEvent | Error) => void;

interface Waiting {
  id: number;
  body: Buffer;
  done: ParseDone;
}

/** Bodies waiting for the worker beyond which the main thread parses new ones itself. */
const MAX_WAITING = 256;
/**
 * Slots for the waiting bodies, indexed by id: the worker answers in order, so the ids waiting are always
 * fewer than MAX_WAITING consecutive numbers. (A Map would do, but V8 keeps each outgrown Map table,
 * entries included, linked to the next one; once such a table is old, the young-generation collector
 * copies every request it still names, again and again: ADR 0005.)
 */
const SLOTS = 1024;
/**
 * Bodies sent in one message at most. Small messages let the worker start while the main thread is still
 * reading this turn's requests (4 gave ~25 % more requests/s than 32 at 50 connections; ADR 0005).
 */
const MAX_BATCH = 4;

/**
 * Parsing and validating a body is the largest part of an ingest request's CPU time (ADR 0005). Under
 * load, when several requests arrive in one turn of the event loop, the pool hands their bodies to a
 * worker thread, so parsing runs on another core while the main thread answers, records and queues.
 * A lone request (Falco's usual one connection, waiting for each answer) is parsed on the spot: the
 * hop to a thread and back would only add latency. Results are the same either way; if the worker
 * dies, what it held is parsed here and the pool stops offloading.
 */
export class ParsePool {
  private worker: Worker | undefined;
  private readonly slots: (Waiting | undefined)[] = new Array<Waiting | undefined>(SLOTS).fill(undefined);
  private waitingCount = 0;
  private batch: ParseRequest[] = [];
  private nextId = 1;
  /** Requests seen since the event loop last reached its check phase. */
  private turn = 0;
  private closing: (() => void) | undefined;
  /** Bodies the worker parsed or refused (falconer_ingest_parsed_off_main_total). */
  offloaded = 0;

  /** `file`: the bundled parse-worker.js; without it (or without a second core) every body is parsed here. */
  constructor(
    file: string | undefined,
    private readonly limits: EventLimits,
    private readonly log: Logger,
  ) {
    if (file === undefined || availableParallelism() < 2) return;
    const worker = new Worker(file, { workerData: { limits } });
    worker.unref();
    worker.on('message', (replies: ParseReply[]) => this.received(replies));
    worker.on('error', (err) => this.failed(err));
    worker.on('exit', (code) => this.failed(new Error(`parse worker exited with code ${code}`)));
    this.worker = worker;
  }

  private readonly endTurn = (): void => {
    this.turn = 0;
    this.flush();
  };

  /**
   * Parses `body`: here and now (done is called before parse returns) when the main thread has nothing
   * else waiting in this turn, else on the worker.
   */
  parse(body: Buffer, done: ParseDone): void {
    if (this.turn++ === 0) setImmediate(this.endTurn);
    const busy = this.turn > 1 || this.waitingCount > 0;
    const id = this.nextId;
    if (
      this.worker === undefined ||
      !busy ||
      this.waitingCount >= MAX_WAITING ||
      this.slots[id % SLOTS] !== undefined
    ) {
      done(parseHere(body, this.limits));
      return;
    }
    this.nextId++;
    this.slots[id % SLOTS] = { id, body, done };
    this.waitingCount++;
    this.batch.push({ id, body: body.toString('latin1') });
    if (this.batch.length >= MAX_BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0 || this.worker === undefined) return;
    const batch = this.batch;
    this.batch = [];
    this.worker.postMessage(batch);
  }

  private received(replies: ParseReply[]): void {
    for (const r of replies) {
      const w = this.slots[r.id % SLOTS];
      if (w === undefined || w.id !== r.id) continue;
      this.slots[r.id % SLOTS] = undefined;
      this.waitingCount--;
      if (r.parsed !== undefined) {
        this.offloaded++;
        w.done(fromTransfer(r.parsed));
      } else if (r.refusal !== undefined) {
        this.offloaded++;
        w.done(new EventValidationError(r.refusal.message, r.refusal.field, r.refusal.code));
      } else {
        // the worker failed otherwise (a bug): the main thread's own parse decides, errors included
        w.done(parseHere(w.body, this.limits));
      }
    }
    if (this.waitingCount === 0) this.closing?.();
  }

  /** The worker is gone: parse what it held here, and stop offloading. */
  private failed(err: Error): void {
    if (this.worker === undefined) return;
    this.worker = undefined;
    this.batch = [];
    this.log.error({ err }, 'parse worker failed; parsing on the main thread');
    const held = this.slots.filter((w): w is Waiting => w !== undefined);
    this.slots.fill(undefined);
    this.waitingCount = 0;
    for (const w of held) w.done(parseHere(w.body, this.limits));
    this.closing?.();
  }

  /** Stops offloading; resolves once every body handed to the worker is answered, then ends the worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.flush();
    if (this.waitingCount > 0) await new Promise<void>((resolve) => (this.closing = resolve));
    this.worker = undefined;
    await worker.terminate();
  }
}

function parseHere(body: Buffer, limits: EventLimits): ParsedEvent | Error {
  try {
    return parseEvent(body, limits);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
