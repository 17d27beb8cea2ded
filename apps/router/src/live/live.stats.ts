import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { PRIORITIES, type FalcoEvent, type Priority, type StatsMessage } from '@falconer/contracts';
import { withDeadline } from '@falconer/util';
import { LOGGER, SPOOL } from '../core/tokens';
import type { EventSpool } from '../ingest/event-spool';
import { OUTPUTS_INFO, type OutputsInfoProvider } from '../delivery/delivery.tokens';

/** Seconds of history behind the per-priority rates. */
const WINDOW_SECONDS = 5;

/**
 * Counts accepted events per second and priority and, about once a second, tells the live hub what to
 * push as `stats` (rates per priority, total, output health). Cheap on the hot path: one array increment.
 */
@Injectable()
export class LiveStats implements OnModuleInit, OnModuleDestroy {
  private readonly buckets: Map<Priority, number>[] = Array.from(
    { length: WINDOW_SECONDS + 1 },
    () => new Map<Priority, number>(),
  );
  private current = 0;
  private total = 0;
  private timer: NodeJS.Timeout | undefined;
  private listener: ((stats: StatsMessage) => void) | undefined;

  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(OUTPUTS_INFO) private readonly outputs: OutputsInfoProvider,
    @Inject(SPOOL) private readonly spool: EventSpool | undefined,
  ) {}

  count(event: FalcoEvent): void {
    const bucket = this.buckets[this.current] as Map<Priority, number>;
    bucket.set(event.priority, (bucket.get(event.priority) ?? 0) + 1);
    this.total++;
  }

  /** The hub registers itself; stats are computed only while someone listens. */
  onTick(listener: (stats: StatsMessage) => void): void {
    this.listener = listener;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick(), 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Rates over the last full seconds (the current, partial second is left out). */
  snapshot(): Pick<StatsMessage, 'rates' | 'total'> {
    const rates: StatsMessage['rates'] = {};
    for (const p of PRIORITIES) {
      let n = 0;
      for (let i = 0; i < this.buckets.length; i++) if (i !== this.current) n += this.buckets[i]?.get(p) ?? 0;
      if (n > 0) rates[p] = Math.round((n / WINDOW_SECONDS) * 10) / 10;
    }
    return { rates, total: this.total };
  }

  private async tick(): Promise<void> {
    this.current = (this.current + 1) % this.buckets.length;
    this.buckets[this.current]?.clear();
    if (this.listener === undefined) return;
    try {
      // the spool first: output depths come from Redis, which may be the very thing that is away
      const spool = this.spool?.status();
      const outputs = await withDeadline(this.outputs.outputs(), 900, 'output stats').catch(() => []);
      this.listener({
        ...this.snapshot(),
        outputs: outputs.map((o) => ({ name: o.name, health: o.health, queueDepth: o.queueDepth })),
        ...(spool !== undefined ? { spool } : {}),
      });
    } catch (err) {
      this.log.debug({ err }, 'live stats failed');
    }
  }
}
