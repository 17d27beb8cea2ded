import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { FalcoEvent } from '@falconer/contracts';
import type { FalconerConfig } from '@falconer/config';
import {
  createEnricher,
  parseRfc3339,
  serializeEvent,
  type Enricher,
  type EventLimits,
} from '@falconer/falco';
import type { EventRouter } from '@falconer/routing';
import type { Silences } from '@falconer/silences';
import type { EventStore } from '@falconer/store';
import { CONFIG, EVENT_ROUTER, EVENT_WRITER, LOGGER, SILENCES, STORE } from '../core/tokens';
import { LiveHub } from '../live/live.hub';
import { MetricsService } from '../metrics/metrics.service';
import type { EventWriter } from './event-spool';

/**
 * The one direction of flow: enrich → (drop) → record → queue for every matching output → live push.
 * Resolves once the event is recorded and queued — or, while Redis is unreachable, spooled in order to be
 * (ADR 0013): that is what a 200 means.
 */
@Injectable()
export class IngestService {
  private readonly enrich: Enricher;
  readonly limits: EventLimits;
  private readonly debug: boolean;
  private readonly ttlMs: number;
  private oldLogged = false;

  constructor(
    @Inject(CONFIG) config: FalconerConfig,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(STORE) private readonly store: EventStore,
    @Inject(EVENT_WRITER) private readonly writer: EventWriter,
    @Inject(EVENT_ROUTER) private readonly router: EventRouter,
    @Inject(LiveHub) private readonly live: LiveHub,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(SILENCES) private readonly silences: Silences,
  ) {
    this.enrich = createEnricher(config);
    this.limits = {
      maxOutputFields: config.limits.maxoutputfields,
      maxStringLength: config.limits.maxstringbytes,
      maxDepth: 16,
    };
    this.debug = config.debug;
    this.ttlMs = config.store.ttlMs;
  }

  /**
   * `historyOnly`: recorded and pushed live, queued for no output. falcosidekick's webui body takes this
   * path: the falcosidekick that sent it has delivered the event to its outputs already (ADR 0006).
   */
  async accept(received: FalcoEvent, { historyOnly = false } = {}): Promise<FalcoEvent | undefined> {
    const event = this.enrich(received);
    if (this.router.drops(event)) {
      this.metrics.dropped();
      this.log.debug({ uuid: event.uuid, rule: event.rule }, 'dropped by the global drop filter');
      return undefined;
    }
    this.noteOld(event);
    if (this.debug) this.log.info({ payload: serializeEvent(event) }, 'incoming event');
    const receivedAt = new Date().toISOString();
    const targets = historyOnly ? [] : this.router.route(event);
    // the outputs whose filters match, less those an active silence mutes: decided once, here
    const { send, muted } = this.silences.decide(event, targets);
    // the mark travels with the recorded and shown event; the queued one (what outputs send) has none
    const shown =
      muted.length === 0 ? event : { ...event, silenced: [...new Set(muted.map((m) => m.silence))] };
    await this.writer.write(event, send, shown);
    // matched = the filters' choice; the silenced ones among them get their `silenced` delivery state.
    // Metadata: while Redis is away (the event spooled) these fail and are logged (ADR 0013)
    this.keepRouting(event.uuid, receivedAt, targets, historyOnly);
    if (muted.length > 0)
      await this.recordSilenced(event.uuid, muted).catch((err: unknown) =>
        this.log.debug({ uuid: event.uuid, err: String(err) }, 'silenced state not kept'),
      );
    this.live.publish(shown);
    this.metrics.accepted(event);
    return shown;
  }

  /** Each muted output's state in the event's deliveries: `silenced`, with the silence's id. */
  private async recordSilenced(
    uuid: string,
    muted: readonly { output: string; silence: string }[],
  ): Promise<void> {
    const updatedAt = new Date().toISOString();
    await Promise.all(
      muted.map((m) =>
        this.store.setDelivery(uuid, {
          output: m.output,
          state: 'silenced',
          attempts: 0,
          detail: m.silence,
          updatedAt,
        }),
      ),
    );
  }

  /** The routing decision, for the event's timeline; metadata, so not awaited on the hot path. */
  private keepRouting(uuid: string, receivedAt: string, matched: string[], historyOnly: boolean): void {
    const { filtered, shared } = historyOnly ? { filtered: [], shared: matched } : this.unmatched(matched);
    this.store
      .setRouting(uuid, {
        receivedAt,
        matched: shared,
        filtered,
        ...(historyOnly ? { historyOnly } : {}),
      })
      .catch((err: unknown) => this.log.debug({ uuid, err: String(err) }, 'routing record not kept'));
  }

  /** Outputs left out, and one shared copy of each matched list: the memory store keeps them per event. */
  private readonly routes = new Map<string, { shared: string[]; filtered: string[] }>();
  private unmatched(matched: string[]): { shared: string[]; filtered: string[] } {
    const key = matched.join('\u0000');
    let r = this.routes.get(key);
    if (r === undefined) {
      // a few distinct combinations in practice; bounded all the same
      if (this.routes.size >= 1024) this.routes.clear();
      r = {
        shared: matched,
        filtered: this.router.outputs.filter((name) => !matched.includes(name)),
      };
      this.routes.set(key, r);
    }
    return r;
  }

  /**
   * An event dated before the TTL window (replayed, or sample events from days ago) is kept `store.ttl`
   * from receipt, like falcosidekick-ui does; a user looking at "the last hour" will not see it, so it
   * is counted, and said once in the log.
   */
  private noteOld(event: FalcoEvent): void {
    if (this.ttlMs <= 0) return;
    const t = parseRfc3339(event.time)?.ms;
    if (t === undefined || t >= Date.now() - this.ttlMs) return;
    this.metrics.old();
    if (this.oldLogged) return;
    this.oldLogged = true;
    this.log.info(
      { uuid: event.uuid, time: event.time, ttlMs: this.ttlMs },
      'accepted an event dated before the history TTL: it is kept store.ttl from receipt and shown by queries whose time window includes its own time (counted in falconer_ingest_old_events_total; logged once)',
    );
  }

  /** A batch is accepted in order; validation happened before (all-or-nothing). */
  async acceptAll(events: readonly FalcoEvent[]): Promise<number> {
    let n = 0;
    for (const e of events) if ((await this.accept(e)) !== undefined) n++;
    return n;
  }
}
