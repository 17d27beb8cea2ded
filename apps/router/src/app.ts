import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ConfigError, type FalconerConfig } from '@falconer/config';
import { createDispatcher, DeliveryConfigError, type DeliveryService } from '@falconer/delivery';
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import { withDeadline } from '@falconer/util';
import { boundedStore, createEventStore, type EventStore } from '@falconer/store';
import { MemorySilenceBackend, RedisSilenceBackend, Silences } from '@falconer/silences';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './core/api-exception.filter';
import { DeliveryModule } from './delivery/delivery.module';
import { buildRouting } from './core/wiring';
import { version } from './core/version';
import { IngestService } from './ingest/ingest.service';
import { registerIngestRoutes } from './ingest/ingest.routes';
import { attachRawIngest } from './ingest/raw-ingest';
import { watchRoutes } from './ingest/reserved-paths';
import { ParsePool } from './ingest/parse-pool';
import { LIVE_PATH } from './live/live-path';
import { directWriter, EventSpool, type EventSink } from './ingest/event-spool';
import { registerSpoolMetrics } from './metrics/spool.metrics';
import { LiveHub } from './live/live.hub';
import { LiveRelay } from './live/live.relay';
import { createIngestAuth } from './ingest/ingest-auth';
import { MetricsService } from './metrics/metrics.service';
import { registerUi } from './ui/ui.routes';
import { ReportedOutputs } from './query/reported-outputs';
import { basepathApiRewrite } from './query/basepath-api';
import { registerDashboardAuth } from './auth/auth.routes';
import { RequestGate } from './auth/request-gate';

export interface RouterAppOptions {
  logger?: Logger;
  /** Built dashboard folder (dist/apps/dashboard). */
  uiDir?: string;
  /** The bundled parse worker (dist/apps/router/parse-worker.js); without it bodies are parsed on the main thread. */
  parseWorker?: string;
}

export interface RouterApp {
  app: NestFastifyApplication;
  config: FalconerConfig;
  logger: Logger;
  store: EventStore;
  dispatcher: DeliveryService;
  /** Starts listening; resolves with a base URL that reaches it (127.0.0.1 when bound to all interfaces). */
  listen(): Promise<string>;
  /** Where it listens and who may use the dashboard, for the start log line. */
  describeListen(): string;
  /** Graceful stop: stop taking work, drain deliveries up to the deadline, close the store. */
  close(deadlineMs?: number): Promise<void>;
}

/** A request's wait for Redis (history queries, health; ingest spools past it). */
const REQUEST_TIMEOUT_MS = 2000;

export async function createRouterApp(
  config: FalconerConfig,
  options: RouterAppOptions = {},
): Promise<RouterApp> {
  const logger =
    options.logger ?? pino({ level: config.debug ? 'debug' : 'info', base: { app: 'falconer-router' } });
  const routing = buildRouting(config, version, logger);
  if (routing.errors.length > 0) throw new ConfigError(routing.errors);
  for (const w of routing.warnings) logger.warn(w);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const store = await createEventStore({
    redisUrl: config.redis.url,
    cluster: config.redis.cluster,
    maxEvents: config.store.maxevents,
    maxBytes: config.store.maxbytes,
    ttlMs: config.store.ttlMs,
    // the client reconnects by itself; meanwhile history writes fail fast (ingest answers 503) and healthz says so
    onError: (err) => logger.warn({ err: err.message }, 'history store: Redis connection error'),
  });
  let dispatcher: DeliveryService;
  // set once Nest has built the live hub; delivery updates before that have no audience
  const live: { hub?: LiveHub } = {};
  try {
    dispatcher = await createDispatcher({
      targets: routing.outputs,
      redisUrl: config.redis.url,
      redisCluster: config.redis.cluster,
      // stable across restarts of this process (same host and port): it resumes its own pending entries;
      // port 0 (tests) is not stable, so the library's per-process default is used then
      ...(config.listenport !== 0 ? { consumerName: `${hostname()}:${config.listenport}` } : {}),
      registry,
      // delivery states go to the history and, live, to the dashboards
      store: {
        setDelivery: (uuid, status) => {
          live.hub?.delivery(uuid, status);
          return store.setDelivery(uuid, status);
        },
      },
      log: logger,
    });
  } catch (err) {
    await store.close();
    if (err instanceof DeliveryConfigError) throw new ConfigError(err.problems);
    throw err;
  }

  // accepted events: through the spool while Redis is away (ADR 0013); requests never wait on Redis unbounded
  const sink: EventSink = {
    record: (event) => store.record(event),
    enqueue: (event, targets) => dispatcher.enqueue(event, targets),
  };
  const redisMode = config.redis.url !== '';
  const spool =
    redisMode && config.redis.spool.maxevents > 0
      ? new EventSpool(sink, {
          maxEvents: config.redis.spool.maxevents,
          timeoutMs: REQUEST_TIMEOUT_MS,
          log: logger,
        })
      : undefined;
  registerSpoolMetrics(registry, spool);
  const requestStore = redisMode ? boundedStore(store, REQUEST_TIMEOUT_MS) : store;
  let silences: Silences;
  try {
    silences = await Silences.start({
      backend:
        config.redis.url === ''
          ? new MemorySilenceBackend()
          : await RedisSilenceBackend.connect({
              url: config.redis.url,
              cluster: config.redis.cluster,
              onError: (err) => logger.warn({ err: err.message }, 'silences: Redis connection error'),
            }),
      outputs: routing.outputs.map((o) => o.name),
      registry,
      log: logger,
    });
  } catch (err) {
    await dispatcher.stop(0);
    await store.close();
    throw err;
  }

  const toApi = basepathApiRewrite(config.ui.basepath);
  const adapter = new FastifyAdapter({
    rewriteUrl: (req: IncomingMessage) => toApi(req.url ?? '/'),
    bodyLimit: config.limits.bodybytes,
    // Falco keeps one connection open and posts on it; do not cut idle keep-alive connections early
    keepAliveTimeout: 65_000,
  });
  // before any route exists: POSTs under the namespaces of the app's routes are not alerts (raw ingest)
  const reserved = watchRoutes(adapter.getInstance(), [LIVE_PATH]);
  const gate = new RequestGate(config);
  const module = AppModule.forRoot(
    {
      config,
      logger,
      registry,
      store: requestStore,
      outputs: routing.outputs,
      dispatcher,
      router: routing.router,
      version,
      gate,
      writer: spool ?? directWriter(sink),
      spool,
      silences,
    },
    [DeliveryModule.forRoot(dispatcher)],
  );
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: false,
    bodyParser: true,
  });
  app.useGlobalFilters(new ApiExceptionFilter());
  const fastify = app.getHttpAdapter().getInstance();
  // before every other route: the hook then covers them all (Nest's, ingest's, the UI's)
  registerDashboardAuth(fastify, gate, {
    basepath: config.ui.basepath,
    secureCookie: config.tlsserver.deploy,
    log: logger,
  });

  const auth = createIngestAuth(config.auth.ingest);
  const reported = app.get(ReportedOutputs);
  registerIngestRoutes(fastify, {
    ingest: app.get(IngestService),
    metrics: app.get(MetricsService),
    log: logger,
    bodyLimit: config.limits.bodybytes,
    batchBodyLimit: Math.max(config.limits.bodybytes, config.limits.batchbytes),
    ...(auth ? { auth } : {}),
    onWebUiOutputs: (names) => reported.update(names),
  });
  if (config.ui.enabled) {
    await registerUi(fastify, options.uiDir ?? 'dist/apps/dashboard', config.ui.basepath);
  }
  app.enableShutdownHooks();
  // replicas on one Redis share the live stream (socket.io Redis adapter)
  const relay = config.redis.url === '' ? undefined : await LiveRelay.connect(config.redis.url, logger);
  if (relay !== undefined) app.useWebSocketAdapter(relay.ioAdapter(app));
  await app.init();
  live.hub = app.get(LiveHub);
  relay?.attach(app.get(LiveHub));
  const ingest = app.get(IngestService);
  const metrics = app.get(MetricsService);
  const parser = new ParsePool(
    config.ingest.parseworker ? options.parseWorker : undefined,
    ingest.limits,
    logger,
  );
  metrics.countOffloaded(() => parser.offloaded);
  attachRawIngest(fastify.server, {
    ingest,
    metrics,
    parser,
    log: logger,
    bodyLimit: config.limits.bodybytes,
    isReserved: (path) => reserved.has(path),
    ...(auth ? { auth } : {}),
  });
  await dispatcher.start();

  let closed = false;
  let boundTo = '';
  return {
    app,
    config,
    logger,
    store,
    dispatcher,
    async listen() {
      const host = config.listenaddress === '' ? '0.0.0.0' : config.listenaddress;
      await app.listen(config.listenport, host);
      const addr = fastify.server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : config.listenport;
      boundTo = `${host}:${port}`;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    },
    describeListen() {
      const where = boundTo.startsWith('0.0.0.0:') ? `all interfaces (${boundTo})` : boundTo;
      return `listening on ${where}; ingest open to every client that reaches it${
        config.auth.ingest.tokens.length > 0 || config.auth.ingest.hmacsecret !== ''
          ? ' with ingest auth'
          : ''
      }; ${gate.describe()}`;
    },
    async close(deadlineMs = 10_000) {
      if (closed) return;
      closed = true;
      // every step is bounded by the grace period: an unreachable Redis must not hold the shutdown
      const deadline = Date.now() + deadlineMs;
      const left = (): number => Math.max(0, deadline - Date.now());
      const step = async <T>(what: string, run: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await withDeadline(run(), left(), what);
        } catch (err) {
          logger.warn({ step: what, err: String(err) }, 'shutdown step failed or ran out of time; going on');
          return undefined;
        }
      };
      // stop accepting first, then write what is spooled, then drain what is in flight
      await step('http server', () => fastify.close());
      await step('parse worker', () => parser.close());
      if (spool !== undefined) {
        // half the grace period at most: Redis may be back in time; what is left is lost with the process
        const s = await spool.stop(left() / 2);
        if (s.unwritten > 0)
          logger.error(
            { unwritten: s.unwritten, firstUuid: s.first, lastUuid: s.last },
            'events accepted while Redis was unreachable could not be written before shutdown and are lost with this process (ADR 0013)',
          );
      }
      const stopped = await step('delivery', () => dispatcher.stop(left()));
      if (stopped !== undefined && stopped.unsent > 0)
        logger.warn({ unsent: stopped.unsent }, 'events left unsent at shutdown');
      await step('nest', () => app.close());
      await step('live relay', async () => relay?.close());
      await step('silences', () => silences.close());
      await step('history store', () => store.close());
    },
  };
}
