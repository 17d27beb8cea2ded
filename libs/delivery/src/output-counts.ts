import type { FailureReason, OutputInfo } from '@falconer/contracts';

/** The closed set of reasons a delivery attempt fails (and a dead letter carries). */
export const FAILURE_REASONS: readonly FailureReason[] = [
  'client_error',
  'auth_error',
  'rate_limited',
  'server_error',
  'timeout',
  'network',
];

/**
 * What happened to one output's events, counted once: `GET /api/v1/outputs` shows these numbers and the
 * Prometheus counters (`falconer_delivery_*_total`, falcosidekick's `outputs_total`) read them when
 * scraped. Plain numbers, so counting on ingest's hot path is an addition.
 */
export class OutputCounts {
  /** Events queued for the output. */
  matched = 0;
  /** Events delivered. */
  sent = 0;
  /** Events scheduled for another attempt. */
  retried = 0;
  /** Failed delivery attempts, per event, by reason. */
  readonly failed: Partial<Record<FailureReason, number>> = {};
  /** Events parked in the dead-letter queue, by last reason. */
  readonly deadLettered: Partial<Record<FailureReason, number>> = {};
  lastError: OutputInfo['lastError'];
  lastSuccessAt = 0;

  constructor(
    readonly name: string,
    readonly type: string,
  ) {}

  delivered(n: number, now: number): void {
    this.sent += n;
    this.lastSuccessAt = now;
  }

  failedAttempt(reason: FailureReason, n: number, detail: string, at: Date): void {
    this.failed[reason] = (this.failed[reason] ?? 0) + n;
    this.lastError = { reason, detail, at: at.toISOString() };
  }

  parked(reason: FailureReason, n: number): void {
    this.deadLettered[reason] = (this.deadLettered[reason] ?? 0) + n;
  }

  /** The last error came after the last delivery. */
  get recentError(): boolean {
    return this.lastError !== undefined && Date.parse(this.lastError.at) > this.lastSuccessAt;
  }

  /** The API's view (a copy). */
  snapshot(): OutputInfo['counters'] {
    return {
      matched: this.matched,
      sent: this.sent,
      retried: this.retried,
      deadLettered: sum(this.deadLettered),
      failed: { ...this.failed },
    };
  }
}

export function sum(counts: Partial<Record<string, number>>): number {
  let n = 0;
  for (const v of Object.values(counts)) n += v ?? 0;
  return n;
}
