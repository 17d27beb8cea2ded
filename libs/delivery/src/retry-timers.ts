import { retryDelay } from './backoff';
import type { Attempted } from './outcome';

export interface RetryTimerSettings {
  backoffBaseMs: number;
  backoffCapMs: number;
}

/**
 * Entries waiting out their backoff. One timer per attempt number (entries of one batch share their
 * failure count); when a timer fires its entries are handed to `due`.
 */
export class RetryTimers<T extends Attempted> {
  private readonly timers = new Map<NodeJS.Timeout, T[]>();
  private count = 0;

  constructor(
    private readonly settings: RetryTimerSettings,
    private readonly random: () => number,
    private readonly due: (entries: T[]) => void,
  ) {}

  /** Entries waiting for a timer. */
  get waiting(): number {
    return this.count;
  }

  /** Waits the backoff of each entry's attempt count (at least `retryAfterMs` when given). */
  schedule(entries: readonly T[], retryAfterMs: number | undefined): void {
    const byAttempts = new Map<number, T[]>();
    for (const e of entries) byAttempts.set(e.attempts, [...(byAttempts.get(e.attempts) ?? []), e]);
    for (const [attempts, group] of byAttempts) {
      const delay = retryDelay(
        attempts,
        this.settings.backoffBaseMs,
        this.settings.backoffCapMs,
        retryAfterMs,
        this.random,
      );
      this.count += group.length;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.count -= group.length;
        this.due(group);
      }, delay);
      this.timers.set(timer, group);
    }
  }

  /** Cancels every timer and returns the entries that were waiting (the destination is back). */
  releaseAll(): T[] {
    const out: T[] = [];
    for (const [timer, group] of this.timers) {
      clearTimeout(timer);
      out.push(...group);
    }
    this.timers.clear();
    this.count = 0;
    return out;
  }

  /** Cancels every timer (shutdown); the entries stay unacknowledged. */
  clear(): void {
    this.releaseAll();
  }
}
