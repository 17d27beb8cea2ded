import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { FalconerConfig } from '@falconer/config';
import type { Dispatcher } from '@falconer/delivery';
import type { EventRouter } from '@falconer/routing';
import type { OutputInstance } from '@falconer/outputs-registry';
import type { EventStore } from '@falconer/store';
import {
  CONFIG,
  DISPATCHER,
  EVENT_ROUTER,
  EVENT_WRITER,
  LOGGER,
  METRICS_REGISTRY,
  OUTPUTS,
  REQUEST_GATE,
  SILENCES,
  SPOOL,
  STORE,
  VERSION,
} from './core/tokens';
import type { Silences } from '@falconer/silences';
import type { EventSpool, EventWriter } from './ingest/event-spool';
import { SilencesModule } from './silences/silences.module';
import type { RequestGate } from './auth/request-gate';
import { HealthController } from './health/health.controller';
import { WhoAmIController } from './auth/whoami.controller';
import { IngestService } from './ingest/ingest.service';
import { LiveGateway } from './live/live.gateway';
import { LiveHub } from './live/live.hub';
import { LiveStats } from './live/live.stats';
import { MetricsService } from './metrics/metrics.service';
import { QueryModule } from './query/query.module';

/** Everything built before Nest starts (app.ts), handed to the module as values. */
export interface RouterDeps {
  config: FalconerConfig;
  logger: Logger;
  registry: Registry;
  store: EventStore;
  outputs: readonly OutputInstance[];
  dispatcher: Dispatcher;
  /** Drop filter and routes of this configuration (libs/routing). */
  router: EventRouter;
  version: string;
  /** Who may use the dashboard, the API and socket.io (auth/request-gate.ts). */
  gate: RequestGate;
  /** Where ingest writes accepted events: the spool in Redis mode (ADR 0013), else store and queues. */
  writer: EventWriter;
  spool: EventSpool | undefined;
  /** Silences applied after the output filters (libs/silences). */
  silences: Silences;
}

/**
 * Feature modules (query API, dead letters, remediations…) are added to `imports`; each uses the global
 * tokens above and registers its own controllers.
 */
@Module({})
export class AppModule {
  static forRoot(deps: RouterDeps, features: DynamicModule['imports'] = []): DynamicModule {
    const values: Provider[] = [
      { provide: CONFIG, useValue: deps.config },
      { provide: LOGGER, useValue: deps.logger },
      { provide: METRICS_REGISTRY, useValue: deps.registry },
      { provide: STORE, useValue: deps.store },
      { provide: OUTPUTS, useValue: deps.outputs },
      { provide: DISPATCHER, useValue: deps.dispatcher },
      { provide: EVENT_ROUTER, useValue: deps.router },
      { provide: VERSION, useValue: deps.version },
      { provide: REQUEST_GATE, useValue: deps.gate },
      { provide: EVENT_WRITER, useValue: deps.writer },
      { provide: SPOOL, useValue: deps.spool },
      { provide: SILENCES, useValue: deps.silences },
    ];
    const services = [MetricsService, LiveStats, LiveHub, IngestService];
    return {
      module: AppModule,
      global: true,
      imports: [QueryModule, SilencesModule, ...(features ?? [])],
      controllers: [HealthController, WhoAmIController],
      providers: [...values, ...services, LiveGateway],
      exports: [...values.map((p) => (p as { provide: symbol }).provide), ...services],
    };
  }
}
