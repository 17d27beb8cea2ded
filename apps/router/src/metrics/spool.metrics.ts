import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventSpool } from '../ingest/event-spool';
import { sinceLastScrape } from './metrics.service';

/** The spool's state on /metrics (ADR 0013); read at scrape time, nothing is counted on the hot path. */
export function registerSpoolMetrics(registry: Registry, spool: EventSpool): void {
  new Gauge({
    name: 'falconer_spool_events',
    help: 'Events accepted while Redis was unreachable and not yet written to it (held in this process)',
    registers: [registry],
    collect() {
      this.set(spool.size);
    },
  });
  new Gauge({
    name: 'falconer_spool_capacity',
    help: 'Events the spool holds at most (redis.spool.maxevents); past it ingest answers 503',
    registers: [registry],
    collect() {
      this.set(spool.capacity);
    },
  });
  const spooled = sinceLastScrape(() => spool.spooledTotal);
  const drained = sinceLastScrape(() => spool.drainedTotal);
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
