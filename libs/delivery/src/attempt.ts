import type { FalcoEvent } from '@falconer/contracts';
import type { Output, SendFailure, SendResult } from '@falconer/outputs-core';

/** An output's `send()`, preceded once by its `init()` (a failed init is that attempt's failure). */
export class OutputSession {
  private initialized: boolean;

  constructor(readonly output: Output) {
    this.initialized = output.init === undefined;
  }

  async send(events: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    if (!this.initialized && this.output.init !== undefined) {
      const r = await this.output.init(signal);
      if (!r.ok) return r;
      this.initialized = true;
    }
    return this.output.send(events, signal);
  }

  /**
   * One attempt for a batch, with the timeout enforced even if the output ignores its signal; `shutdown`
   * aborts it. A thrown error is a `network` failure.
   */
  async attempt(
    events: readonly FalcoEvent[],
    timeoutMs: number,
    shutdown: AbortSignal,
  ): Promise<SendResult> {
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), shutdown]);
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<SendFailure>((resolve) => {
      const fire = (): void =>
        resolve({
          ok: false,
          retryable: true,
          reason: 'timeout',
          detail: shutdown.aborted ? 'aborted at shutdown' : `no answer within ${timeoutMs} ms`,
        });
      // a little later than the signal, so an output that honours the signal reports its own detail
      timer = setTimeout(fire, timeoutMs + 250);
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
        this.send(events, signal).catch((err: unknown): SendFailure => ({
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
}
