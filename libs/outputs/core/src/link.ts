import type { ConnectionHealth, ConnectionState } from '@falconer/contracts';
import type { SendFailure, SendResult } from './output';
import { scrub } from './redact';

/** Where a broker output's connection is (see ConnectionState). */
export type LinkState = ConnectionState;

/** What a broker output reports about its connection (`Output.health()`), shown on the outputs page. */
export type OutputHealth = ConnectionHealth;

export interface LinkOptions<C> {
  /** Opens the connection (rejects when it cannot). */
  open(): Promise<C>;
  /** Closes it quietly (errors are ignored). */
  close(client: C): Promise<unknown>;
  /** Scrubbed from error texts. */
  secrets?: readonly string[];
  /** Wait between reconnection attempts: base·2^n, capped; default 250 ms to 5 s. */
  backoff?: { baseMs: number; capMs: number };
  now?: () => number;
}

/** `send()` called while the link is down and waiting out its backoff. */
export class LinkDownError extends Error {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    this.name = 'LinkDownError';
  }
}

/**
 * One connection held for an output's lifetime. Opened on first use; when it is lost (`lost()`, or the
 * client's own reconnect logic reporting `down()`), sends fail fast as retryable until it is back, and
 * reopening waits out an exponential backoff so a dead broker is not hammered. Counts connections and
 * failed attempts for `health()`. Clients that reconnect by themselves (NATS, MQTT, Redis) report
 * `down()`, each `attempt()` and `up()`; the others (AMQP, Kafka) call `lost()` and the next `get()`
 * reopens.
 */
export class Link<C> {
  private client: C | undefined;
  private opening: Promise<C> | undefined;
  private state: LinkState = 'idle';
  private since: number;
  /** Consecutive failures (backoff of the Link's own reopening). */
  private failures = 0;
  /** Failed connection attempts since the last success (the Link's or the client's own). */
  private attempts = 0;
  private nextTryAt = 0;
  private lastError: string | undefined;
  private connects = 0;
  private disconnects = 0;
  private readonly now: () => number;
  private readonly baseMs: number;
  private readonly capMs: number;

  constructor(private readonly o: LinkOptions<C>) {
    this.now = o.now ?? Date.now;
    this.since = this.now();
    this.baseMs = o.backoff?.baseMs ?? 250;
    this.capMs = o.backoff?.capMs ?? 5_000;
  }

  /** The open connection; opens it when there is none (at most one attempt at a time). */
  get(): Promise<C> {
    if (this.state === 'closed') return Promise.reject(new Error('output closed'));
    if (this.client !== undefined) {
      if (this.state !== 'connected') return Promise.reject(this.downError());
      return Promise.resolve(this.client);
    }
    if (this.opening) return this.opening;
    const wait = this.nextTryAt - this.now();
    if (wait > 0) return Promise.reject(this.downError());
    if (this.state === 'idle') this.set('connecting');
    this.opening = this.o.open().then(
      (c) => {
        this.opening = undefined;
        if (this.state === 'closed') {
          void this.o.close(c).catch(() => undefined);
          throw new Error('output closed');
        }
        this.client = c;
        this.up();
        return c;
      },
      (err: unknown) => {
        this.opening = undefined;
        this.attempts++;
        this.failed(err);
        throw err;
      },
    );
    return this.opening;
  }

  /** The client's own reconnection succeeded (or the first connection did). */
  up(): void {
    if (this.state === 'closed') return;
    this.connects++;
    this.failures = 0;
    this.attempts = 0;
    this.nextTryAt = 0;
    this.set('connected');
  }

  /** The client lost its connection and is reconnecting by itself: sends fail fast meanwhile. */
  down(err: unknown): void {
    if (this.state === 'closed') return;
    if (this.state === 'connected') this.disconnects++;
    this.lastError = this.text(err);
    this.set(this.unconnected());
  }

  /** The client is trying to reconnect by itself (one attempt); `err` when it says why the last failed. */
  attempt(err?: unknown): void {
    if (this.state === 'closed' || this.state === 'connected') return;
    this.attempts++;
    if (err !== undefined) this.lastError = this.text(err);
  }

  /** The connection is unusable (closed by the server, a socket error): dropped; the next get() reopens. */
  lost(err: unknown): void {
    const c = this.client;
    if (c === undefined || this.state === 'closed') return;
    this.client = undefined;
    if (this.state === 'connected') this.disconnects++;
    this.failed(err);
    void this.o.close(c).catch(() => undefined);
  }

  /**
   * One send on the connection (opened first if need be): `fn` publishes and resolves once the broker has
   * the batch, or returns its own failure; whatever it throws becomes a SendResult (`brokerFailure`).
   */
  async run(fn: (client: C) => Promise<SendResult | undefined>): Promise<SendResult> {
    try {
      return (await fn(await this.get())) ?? { ok: true };
    } catch (err) {
      return brokerFailure(err, this.o.secrets ?? []);
    }
  }

  health(): OutputHealth {
    return {
      state: this.state,
      attempts: this.attempts,
      connects: this.connects,
      disconnects: this.disconnects,
      since: new Date(this.since).toISOString(),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  async close(): Promise<void> {
    this.set('closed');
    const c = this.client ?? (await this.opening?.catch(() => undefined));
    this.client = undefined;
    if (c !== undefined) await this.o.close(c).catch(() => undefined);
  }

  /** Scrubs the output's secrets from an error text. */
  text(err: unknown): string {
    const msg = err instanceof Error ? err.message || err.name : String(err);
    return scrub(msg, this.o.secrets ?? []);
  }

  /** Not connected: `reconnecting` once a connection was established, `down` before. */
  private unconnected(): LinkState {
    return this.connects > 0 ? 'reconnecting' : 'down';
  }

  private failed(err: unknown): void {
    this.failures++;
    this.lastError = this.text(err);
    const wait = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures - 1, 20));
    this.nextTryAt = this.now() + wait;
    this.set(this.unconnected());
  }

  private downError(): LinkDownError {
    const wait = Math.max(0, this.nextTryAt - this.now());
    return new LinkDownError(`not connected: ${this.lastError ?? 'connection lost'}`, wait);
  }

  private set(state: LinkState): void {
    if (this.state === state) return;
    this.state = state;
    this.since = this.now();
  }
}

/** How a client's error text reads: an authentication refusal, a timeout, or anything else (network). */
const AUTH =
  /auth|not authori[sz]ed|access.?refused|permission|wrongpass|noauth|sasl|bad user ?name or password/i;
const TIMEOUT = /time(d)? ?out|timeout/i;

/**
 * A broker client's error as a SendResult: authentication refusals are not retried (`auth_error`),
 * timeouts and everything else (connection refused/reset, broker unavailable) are (`timeout`, `network`).
 * Unlike `resultForError` (request/response SDKs, where an unknown error is the request's fault), an
 * error of a client that holds a connection is about that connection until shown otherwise; outputs that
 * know better (a protocol error code that rejects the record) say so themselves.
 */
export function brokerFailure(err: unknown, secrets: readonly string[] = []): SendFailure {
  const msg = err instanceof Error ? err.message || err.name : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const detail = scrub(typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg, secrets);
  if (AUTH.test(detail)) return { ok: false, retryable: false, reason: 'auth_error', detail };
  if (TIMEOUT.test(detail) && !(err instanceof LinkDownError))
    return { ok: false, retryable: true, reason: 'timeout', detail };
  return { ok: false, retryable: true, reason: 'network', detail };
}

/**
 * A broker's refusal of the records themselves (too large, wrong key type): sending them again will not
 * help, so not retried (`client_error`) — unless it reads as an authentication refusal (`auth_error`).
 */
export function brokerRefusal(err: unknown, secrets: readonly string[] = []): SendFailure {
  const f = brokerFailure(err, secrets);
  return f.reason === 'auth_error' ? f : { ...f, retryable: false, reason: 'client_error' };
}

/** `p`, or a rejection when the signal fires first (the delivery layer's timeout, shutdown). */
export function rejectOnAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('timed out'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('timed out waiting for the server'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A broker address list: `a:1,b:2` or a YAML list, blanks dropped. */
export function serverList(raw: string | readonly string[]): string[] {
  const parts = typeof raw === 'string' ? raw.split(',') : raw;
  return parts.map((s) => s.trim()).filter((s) => s !== '');
}
