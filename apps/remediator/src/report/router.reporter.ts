import type { Logger } from 'pino';
import type { RemediationRecord } from '@falconer/contracts';
import type { RemediatorMetrics } from '../metrics/remediator.metrics';
import { signBody } from '@falconer/util';

export interface Reporter {
  report(record: RemediationRecord): void;
  /** Resolves when everything queued so far has been sent or given up (bounded by timeoutMs). */
  flush(timeoutMs?: number): Promise<void>;
}

/** Used when no router URL is configured: decisions stay in the local audit log and the log lines. */
export class NoopReporter implements Reporter {
  report(): void {}
  flush(): Promise<void> {
    return Promise.resolve();
  }
}

export interface RouterReporterOptions {
  routerUrl: string;
  secret: string;
  /** Attempts per record (network errors, 5xx, 429). */
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
  /** Records waiting beyond this are dropped, oldest first, with a warning. */
  maxQueue?: number;
}

/**
 * Sends each decision to the router (`POST /api/v1/remediations`, one RemediationRecord per request,
 * signed like the webhook) in the background, in order, with a few retries. A slow or absent router
 * never slows remediation.
 */
export class RouterReporter implements Reporter {
  private readonly queue: RemediationRecord[] = [];
  private running = false;
  private idle: (() => void)[] = [];
  private readonly endpoint: string;

  constructor(
    private readonly options: RouterReporterOptions,
    private readonly metrics: RemediatorMetrics,
    private readonly log: Logger,
  ) {
    this.endpoint = `${options.routerUrl}/api/v1/remediations`;
  }

  report(record: RemediationRecord): void {
    this.queue.push(record);
    const max = this.options.maxQueue ?? 10_000;
    if (this.queue.length > max) {
      const dropped = this.queue.splice(0, this.queue.length - max);
      this.metrics.reports.inc({ status: 'dropped' }, dropped.length);
      this.log.warn({ dropped: dropped.length }, 'router report queue full; oldest decision reports dropped');
    }
    if (!this.running) void this.drain();
  }

  async flush(timeoutMs = 5000): Promise<void> {
    if (!this.running && this.queue.length === 0) return;
    await Promise.race([
      new Promise<void>((resolve) => this.idle.push(resolve)),
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let r = this.queue.shift(); r !== undefined; r = this.queue.shift()) await this.send(r);
    } finally {
      this.running = false;
      const waiters = this.idle;
      this.idle = [];
      for (const w of waiters) w();
    }
  }

  private async send(record: RemediationRecord): Promise<void> {
    const body = JSON.stringify(record);
    const attempts = this.options.attempts ?? 4;
    let last = '';
    for (let i = 0; i < attempts; i++) {
      if (i > 0)
        await new Promise((resolve) => setTimeout(resolve, (this.options.backoffMs ?? 500) * 2 ** (i - 1)));
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': 'falconer-remediator',
      };
      if (this.options.secret !== '') headers['x-falconer-signature'] = signBody(this.options.secret, body);
      try {
        const res = await fetch(this.endpoint, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        await res.arrayBuffer();
        if (res.ok) {
          this.metrics.reports.inc({ status: 'ok' });
          return;
        }
        last = `HTTP ${res.status}`;
        // 4xx other than 429 will not get better by trying again (bad signature, unknown event…)
        if (res.status < 500 && res.status !== 429) break;
      } catch (err) {
        last = (err as Error).message;
      }
    }
    this.metrics.reports.inc({ status: 'error' });
    this.log.warn(
      { uuid: record.uuid, rule: record.rule, action: record.action, error: last },
      'could not report a decision to the router',
    );
  }
}
