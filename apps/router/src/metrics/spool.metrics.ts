import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventSpool } from '../ingest/event-spool';
import { sinceLastScrape } from './metrics.service';

/**
 * The spool's state on /metrics (ADR 0013); read at scrape time, nothing is counted on the hot path. Exported
 * in every mode, so one dashboard serves all: without a spool (memory mode, or `redis.spool.maxevents: 0`)
 * everything reads 0.
 */
export function registerSpoolMetrics(registry: Registry, spool: EventSpool | undefined): void {
  new Gauge({
    name: 'falconer_spool_events',
    help: 'Events accepted while Redis was unreachable and not yet written to it (held in this process)',
    registers: [registry],
    collect() {
      this.set(spool?.size ?? 0);
    },
  });
  new Gauge({
    name: 'falconer_spool_capacity',
    help: 'Events the spool holds at most (redis.spool.maxevents; 0: no spool); past it ingest answers 503',
    registers: [registry],
    collect() {
      this.set(spool?.capacity ?? 0);
    },
  });
  const spooled = sinceLastScrape(() => spool?.spooledTotal ?? 0);
  const drained = sinceLastScrape(() => spool?.drainedTotal ?? 0);
  new Counter({
    name: 'falconer_spool_spooled_total',
    help: 'Events spooled because Redis was unreachable',
    registers: [registry],
    collect() {
      this.inc(spooled());
    },
  });
  new Counter({
    name: 'falconer_spool_drained_total',
    help: 'Spooled events written to Redis once it was back',
    registers: [registry],
    collect() {
      this.inc(drained());
    },
  });
}
