/** Per-key cooldown: once a key is taken, it stays taken for `ms`. */
export class Cooldown {
  private readonly until = new Map<string, number>();

  constructor(
    readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {}

  isCooling(key: string): boolean {
    const u = this.until.get(key);
    return u !== undefined && u > this.now();
  }

  /** Takes the key when it is free. Synchronous, so concurrent alerts cannot both pass. */
  tryAcquire(key: string): boolean {
    if (this.isCooling(key)) return false;
    if (this.until.size >= 10_000) this.prune();
    this.until.set(key, this.now() + this.ms);
    return true;
  }

  release(key: string): void {
    this.until.delete(key);
  }

  private prune(): void {
    const t = this.now();
    for (const [k, u] of this.until) if (u <= t) this.until.delete(k);
  }
}

/** At most `max` acquisitions in any sliding window of `windowMs`. */
export class SlidingWindowLimiter {
  private stamps: number[] = [];

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when an acquisition now would be refused (checked before any work that leads to one). */
  isFull(): boolean {
    const from = this.now() - this.windowMs;
    if (this.stamps.length > 0 && (this.stamps[0] as number) <= from)
      this.stamps = this.stamps.filter((s) => s > from);
    return this.stamps.length >= this.max;
  }

  tryAcquire(): boolean {
    if (this.isFull()) return false;
    const t = this.now();
    this.stamps.push(t);
    return true;
  }

  /** Gives back the latest acquisition (the action did not happen after all). */
  release(): void {
    this.stamps.pop();
  }
}
