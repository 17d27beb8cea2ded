import { describe, expect, it } from 'vitest';
import { untilAborted } from './abort';

describe('untilAborted', () => {
  it("gives the work's result when it settles first, and forgets the listener", async () => {
    const ac = new AbortController();
    expect(await untilAborted(Promise.resolve({ ok: true }), ac.signal, 'x')).toEqual({ ok: true });
    ac.abort();
  });

  it('gives a retryable timeout as soon as the signal aborts, or at once when it already has', async () => {
    const ac = new AbortController();
    const pending = untilAborted(new Promise(() => undefined), ac.signal, 'SMTP send');
    ac.abort(new DOMException('deadline', 'TimeoutError'));
    const timeout = { ok: false, retryable: true, reason: 'timeout', detail: 'SMTP send aborted' };
    expect(await pending).toEqual(timeout);
    expect(await untilAborted(new Promise(() => undefined), ac.signal, 'SMTP send')).toEqual(timeout);
  });
});
