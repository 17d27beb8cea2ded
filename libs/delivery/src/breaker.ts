import type { CircuitState } from '@falconer/contracts';
import type { BreakerSettings } from './settings';

export type BreakerGate = { kind: 'send' } | { kind: 'probe' } | { kind: 'wait'; ms: number };

/**
 * Circuit breaker of one output (spec/delivery.md). It opens only when the output has failed at least
 * `minFailures` times in a row AND the first of those failures is `afterMs` old — a streak of failures
 * with no success in between. Any success ends the streak, so intermittent failures between successes
 * never open it (per-event retries handle those). While open, one probe every `probeMs`; the first
 * success closes it.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private failures = 0;
  private streakStart = 0;
  private nextProbeAt = 0;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  get circuit(): CircuitState {
    return this.state;
  }

  /** Failures in the current streak. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** May the worker send now? `probe` = send one batch alone and report its outcome. */
  gate(): BreakerGate {
    if (this.state === 'closed') return { kind: 'send' };
    if (this.state === 'half_open') return { kind: 'wait', ms: this.settings.probeMs };
    const wait = this.nextProbeAt - this.now();
    return wait <= 0 ? { kind: 'probe' } : { kind: 'wait', ms: wait };
  }

  /** The probe is on its way; nothing else is sent until it reports. */
  probing(): void {
    if (this.state === 'open') this.state = 'half_open';
  }

  /** Records a success; true when it closed an open breaker (the queue may drain at full speed now). */
  success(): boolean {
    const reopened = this.state !== 'closed';
    this.failures = 0;
    this.state = 'closed';
    return reopened;
  }

  failure(): void {
    const now = this.now();
    if (this.failures === 0) this.streakStart = now;
    this.failures++;
    if (this.state === 'half_open') {
      this.state = 'open';
      this.nextProbeAt = now + this.settings.probeMs;
      return;
    }
    if (
      this.state === 'closed' &&
      this.failures >= this.settings.minFailures &&
      now - this.streakStart >= this.settings.afterMs
    ) {
      this.state = 'open';
      this.nextProbeAt = now + this.settings.probeMs;
    }
  }
}
