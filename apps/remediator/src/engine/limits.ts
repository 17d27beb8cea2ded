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

/** Why an action was not taken: its pod's cooldown is running, or the rate limit is full. */
export type Refusal = 'cooldown' | 'rate_limited';

/**
 * The cooldown and the rate limit of one budget (real or dry-run actions). `acquire` takes both at once
 * or neither, so concurrent alerts — in one process or, with Redis, across replicas — cannot race past
 * them. `check` is the cheap early exit before any Kubernetes API read; only `acquire` decides.
 */
export interface ActionLimits {
  readonly cooldownMs: number;
  check(key: string): Promise<Refusal | undefined>;
  acquire(key: string): Promise<Refusal | undefined>;
  close?(): Promise<void>;
}

/** One process's limits (no Redis): the two counters above, taken synchronously. */
export class MemoryActionLimits implements ActionLimits {
  private readonly cooldown: Cooldown;
  private readonly limiter: SlidingWindowLimiter;

  constructor(cooldownMs: number, rate: { max: number; windowMs: number }, now: () => number = Date.now) {
    this.cooldown = new Cooldown(cooldownMs, now);
    this.limiter = new SlidingWindowLimiter(rate.max, rate.windowMs, now);
  }

  get cooldownMs(): number {
    return this.cooldown.ms;
  }

  check(key: string): Promise<Refusal | undefined> {
    if (this.cooldown.isCooling(key)) return Promise.resolve('cooldown');
    return Promise.resolve(this.limiter.isFull() ? 'rate_limited' : undefined);
  }

  acquire(key: string): Promise<Refusal | undefined> {
    if (!this.cooldown.tryAcquire(key)) return Promise.resolve('cooldown');
    if (!this.limiter.tryAcquire()) {
      this.cooldown.release(key);
      return Promise.resolve('rate_limited');
    }
    return Promise.resolve(undefined);
  }
}
