import type { FalcoEvent } from '@falconer/contracts';
import type { Output, SendResult } from '@falconer/outputs-core';
import { Receiver, type ReceiverReply, type RecordedRequest } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from './sample-events';

export interface ContractOptions {
  /** Label of the describe block. */
  name: string;
  /** Builds the output aimed at `baseUrl` (a local receiver), configured with every secret in `secrets`. */
  make(baseUrl: string): Output;
  /** What the output sends in one call. Default: the sample event alone. */
  batch?: readonly FalcoEvent[];
  /** Secrets configured through `make`: none may appear in any result. */
  secrets: readonly string[];
  /** The destination's success answer (e.g. an Elasticsearch `_bulk` body). Default 200 with `{}`. */
  okReply?: (req: RecordedRequest) => ReceiverReply;
  /** Extra assertions on the request the sample batch produces (exact body, URL, headers). */
  checkRequest?: (req: RecordedRequest) => void;
}

/** Every status an HTTP destination may answer and how each must be classified (delivery.md). */
export const STATUS_CASES: readonly {
  status: number;
  retryable: boolean;
  reason: string;
  retryAfter?: string;
  retryAfterMs?: number;
}[] = [
  { status: 400, retryable: false, reason: 'client_error' },
  { status: 401, retryable: false, reason: 'auth_error' },
  { status: 403, retryable: false, reason: 'auth_error' },
  { status: 404, retryable: false, reason: 'client_error' },
  { status: 408, retryable: true, reason: 'timeout' },
  { status: 413, retryable: false, reason: 'client_error' },
  { status: 422, retryable: false, reason: 'client_error' },
  { status: 429, retryable: true, reason: 'rate_limited', retryAfter: '7', retryAfterMs: 7000 },
  { status: 500, retryable: true, reason: 'server_error' },
  { status: 502, retryable: true, reason: 'server_error' },
  { status: 503, retryable: true, reason: 'server_error', retryAfter: '2', retryAfterMs: 2000 },
  { status: 504, retryable: true, reason: 'server_error' },
];

const signal = (): AbortSignal => new AbortController().signal;

function expectNoSecret(result: SendResult, secrets: readonly string[]): void {
  const text = JSON.stringify(result);
  for (const s of secrets) expect(text, `secret leaked into ${text}`).not.toContain(s);
}

/**
 * The contract every HTTP output's spec runs: classification of every status, Retry-After (seconds
 * and HTTP date), network failures, secrets never in results, abort stops the request, and a snapshot
 * of the exact request body against a real local HTTP receiver.
 */
export function outputContract(opts: ContractOptions): void {
  describe(`${opts.name}: output contract`, () => {
    let rx: Receiver;
    let output: Output;
    const batch = opts.batch ?? [sampleEvent()];
    const ok = opts.okReply ?? (() => ({ status: 200, body: '{}' }));

    beforeAll(async () => {
      rx = await Receiver.start();
      output = opts.make(rx.url);
    });
    afterAll(async () => {
      await output.close?.();
      await rx.close();
    });

    it('succeeds on the destination success answer and sends the expected request', async () => {
      rx.respond(ok);
      const before = rx.requests.length;
      const result = await output.send(batch, signal());
      expect(result).toEqual({ ok: true });
      expect(rx.requests.length).toBe(before + 1);
      const req = rx.requests.at(-1) as RecordedRequest;
      expect(req.headers['user-agent']).toMatch(/^Falconer\/\S+$/);
      opts.checkRequest?.(req);
      expect({ method: req.method, body: req.text }).toMatchSnapshot();
    });

    it.each(STATUS_CASES)('classifies HTTP $status as $reason (retryable $retryable)', async (c) => {
      rx.respond(() => ({
        status: c.status,
        body: '{"error":"nope"}',
        ...(c.retryAfter ? { headers: { 'retry-after': c.retryAfter } } : {}),
      }));
      const result = await output.send(batch, signal());
      expect(result).toMatchObject({ ok: false, retryable: c.retryable, reason: c.reason });
      if (!result.ok) {
        expect(result.retryAfterMs).toBe(c.retryAfterMs);
        expect(result.detail).toContain(String(c.status));
        expect(result.failedIndexes).toBeUndefined();
      }
    });

    it('reads Retry-After as an HTTP date', async () => {
      const at = new Date(Date.now() + 30_000).toUTCString();
      rx.respond(() => ({ status: 429, headers: { 'retry-after': at } }));
      const result = await output.send(batch, signal());
      expect(result).toMatchObject({ ok: false, reason: 'rate_limited', retryable: true });
      if (!result.ok) {
        expect(result.retryAfterMs).toBeGreaterThan(25_000);
        expect(result.retryAfterMs).toBeLessThanOrEqual(30_000);
      }
    });

    it('never puts a secret in a result, even when the destination echoes the request', async () => {
      rx.respond((req) => ({
        status: 500,
        body: JSON.stringify({ url: req.url, headers: req.headers, body: req.text.slice(0, 200) }),
      }));
      const result = await output.send(batch, signal());
      expect(result.ok).toBe(false);
      expectNoSecret(result, opts.secrets);
      rx.respond((req) => ({
        status: 401,
        body: `bad credentials for ${req.url} ${JSON.stringify(req.headers)}`,
      }));
      const auth = await output.send(batch, signal());
      expect(auth).toMatchObject({ ok: false, reason: 'auth_error', retryable: false });
      expectNoSecret(auth, opts.secrets);
    });

    it('reports a refused connection as network, retryable, without secrets', async () => {
      const gone = await Receiver.start();
      const url = gone.url;
      await gone.close();
      const dead = opts.make(url);
      const result = await dead.send(batch, signal());
      await dead.close?.();
      expect(result).toMatchObject({ ok: false, retryable: true, reason: 'network' });
      expectNoSecret(result, opts.secrets);
    });

    it('stops a hanging request as soon as the signal aborts', async () => {
      rx.respond(() => ({ status: 200, hang: true }));
      const before = rx.requests.length;
      const ac = new AbortController();
      const pending = output.send(batch, ac.signal);
      await rx.waitFor(before + 1);
      const t0 = Date.now();
      ac.abort(new DOMException('deadline', 'TimeoutError'));
      const result = await pending;
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(result).toMatchObject({ ok: false, retryable: true, reason: 'timeout' });
    });

    it('sends nothing when the signal is already aborted', async () => {
      rx.respond(ok);
      const before = rx.requests.length;
      const ac = new AbortController();
      ac.abort();
      const result = await output.send(batch, ac.signal);
      expect(result.ok).toBe(false);
      expect(rx.requests.length).toBe(before);
    });
  });
}
