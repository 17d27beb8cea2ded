import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fromOtherSite, isLoopback } from '@falconer/util';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { KubeConfig } from '@kubernetes/client-node';
import pino, { type Logger } from 'pino';
import { AuditLog } from './audit/audit.log';
import { ConfigError, type RemediatorConfig } from './config/remediator.config';
import { PinoNestLogger } from './core/pino-nest.logger';
import { AUDIT_LOG, CONFIG, ENGINE, LOGGER, METRICS, REPORTER } from './core/tokens';
import { connectRedisLimits } from './engine/redis-limits';
import { RemediationEngine } from './engine/remediation.engine';
import { ActionsController } from './http/actions.controller';
import { HealthController } from './http/health.controller';
import { WebhookController } from './http/webhook.controller';
import { loadKubeConfig, NodeKubeClient, type KubeClient } from './kube/kube.client';
import { RemediatorMetrics } from './metrics/remediator.metrics';
import { NoopReporter, RouterReporter, type Reporter } from './report/router.reporter';
import { parseRules, RulesError, type ResponseRule } from './rules/rules';

export interface RemediatorDeps {
  /** Defaults to @kubernetes/client-node with the configured kubeconfig / in-cluster config. */
  kube?: KubeClient;
  logger?: Logger;
}

/** Reads and validates the rules file named in the config (RulesError lists every problem). */
export function loadRulesFile(path: string): ResponseRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RulesError(path, [`cannot read the rules file: ${(err as Error).message}`]);
  }
  return parseRules(text, path);
}

@Injectable()
class ReporterShutdown implements OnApplicationShutdown {
  constructor(@Inject(REPORTER) private readonly reporter: Reporter) {}
  async onApplicationShutdown(): Promise<void> {
    await this.reporter.flush(5000);
  }
}

@Module({})
class RemediatorModule {
  static forRoot(values: {
    config: RemediatorConfig;
    engine: RemediationEngine;
    audit: AuditLog;
    metrics: RemediatorMetrics;
    reporter: Reporter;
    logger: Logger;
  }): DynamicModule {
    return {
      module: RemediatorModule,
      controllers: [WebhookController, ActionsController, HealthController],
      providers: [
        { provide: CONFIG, useValue: values.config },
        { provide: ENGINE, useValue: values.engine },
        { provide: AUDIT_LOG, useValue: values.audit },
        { provide: METRICS, useValue: values.metrics },
        { provide: REPORTER, useValue: values.reporter },
        { provide: LOGGER, useValue: values.logger },
        ReporterShutdown,
      ],
    };
  }
}

function kubeConfigOrExplain(config: RemediatorConfig): KubeConfig {
  try {
    return loadKubeConfig(config.kube);
  } catch (err) {
    const where =
      config.kube.kubeconfig !== ''
        ? `KUBECONFIG (${config.kube.kubeconfig})`
        : config.kube.inCluster
          ? 'in-cluster Kubernetes config (service account token)'
          : 'default kubeconfig (~/.kube/config; set KUBECONFIG outside a cluster)';
    throw new ConfigError([`${where}: ${(err as Error).message}`]);
  }
}

/**
 * Who may use what (SECURITY.md): `/healthz` is open; the read endpoints (`GET /api/v1/*`, `/metrics`)
 * need `Authorization: Bearer` with REMEDIATOR_TOKEN or REMEDIATOR_SECRET, or, with neither set, a
 * loopback client; the webhook (`POST /`) has its signature, and refuses a browser on another site.
 */
export function remediatorAccess(
  config: Pick<RemediatorConfig, 'token' | 'secret'>,
  req: IncomingMessage,
  path: string,
): { status: 401 | 403; error: string; message: string } | undefined {
  if (req.method === 'POST') {
    if (fromOtherSite(req.headers))
      return {
        status: 403,
        error: 'forbidden',
        message: 'requests sent by a browser from another site are refused',
      };
    return undefined;
  }
  if (path === '/healthz') return undefined;
  const keys = [config.token, config.secret].filter((k) => k !== '');
  if (keys.length === 0)
    return isLoopback(req.socket.remoteAddress)
      ? undefined
      : {
          status: 403,
          error: 'forbidden',
          message: 'set REMEDIATOR_TOKEN (or REMEDIATOR_SECRET) to read this from another machine',
        };
  const auth = req.headers['authorization'];
  const presented =
    typeof auth === 'string' && auth.startsWith('Bearer ') ? Buffer.from(auth.slice(7).trim()) : undefined;
  if (
    presented !== undefined &&
    keys.some((k) => presented.length === Buffer.byteLength(k) && timingSafeEqual(presented, Buffer.from(k)))
  )
    return undefined;
  return { status: 401, error: 'unauthorized', message: 'send Authorization: Bearer <REMEDIATOR_TOKEN>' };
}

/** Builds the remediator (not listening yet). Throws RulesError before anything starts when the rules are wrong. */
export async function createRemediatorApp(
  config: RemediatorConfig,
  deps: RemediatorDeps = {},
): Promise<NestFastifyApplication> {
  const logger = deps.logger ?? pino({ name: 'falconer-remediator', level: config.logLevel });
  const rules = loadRulesFile(config.rulesFile);
  const kube = deps.kube ?? new NodeKubeClient(kubeConfigOrExplain(config), config.kube.timeoutMs);
  const metrics = new RemediatorMetrics();
  const audit = new AuditLog(config.auditSize);
  const reporter: Reporter =
    config.routerUrl === ''
      ? new NoopReporter()
      : new RouterReporter(
          { routerUrl: config.routerUrl, secret: config.secret },
          metrics,
          logger.child({ component: 'reporter' }),
        );
  // replicas share the cooldown and the rate limit through Redis when one is configured (ADR 0009)
  const shared =
    config.redis.url === ''
      ? undefined
      : await connectRedisLimits({
          url: config.redis.url,
          cluster: config.redis.cluster,
          prefix: config.redis.prefix,
          cooldownMs: config.cooldownMs,
          rate: config.rateLimit,
          onError: (err) => logger.warn({ err: err.message }, 'remediator limits: Redis error'),
        });
  const engine = new RemediationEngine(
    {
      dryRun: config.dryRun,
      denyNamespaces: config.denyNamespaces,
      cooldownMs: config.cooldownMs,
      rateLimit: config.rateLimit,
    },
    rules,
    kube,
    audit,
    reporter,
    metrics,
    logger.child({ component: 'engine' }),
    Date.now,
    shared,
  );

  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  const app = await NestFactory.create<NestFastifyApplication>(
    RemediatorModule.forRoot({ config, engine, audit, metrics, reporter, logger }),
    adapter,
    { bodyParser: false, logger: new PinoNestLogger(logger.child({ component: 'nest' })) },
  );
  // The signature covers the exact bytes and numbers must keep their text: every body arrives as a Buffer,
  // whatever its Content-Type (Falco's program_output sends form-urlencoded).
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onClose', async () => shared?.close());
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: config.bodyLimitBytes },
    (_req, body, done) => done(null, body),
  );
  fastify.addHook('onRequest', async (request, reply) => {
    const refused = remediatorAccess(config, request.raw, (request.url.split('?')[0] ?? '/') || '/');
    if (refused !== undefined)
      await reply
        .code(refused.status)
        .headers(refused.status === 401 ? { 'www-authenticate': 'Bearer realm="falconer-remediator"' } : {})
        .type('application/json; charset=utf-8')
        .send(JSON.stringify({ error: refused.error, message: refused.message }));
  });
  app.enableShutdownHooks();
  logger.info(
    {
      rules: rules.length,
      dryRun: config.dryRun,
      denyNamespaces: config.denyNamespaces,
      cooldownMs: config.cooldownMs,
      rateLimit: config.rateLimit.text,
      limitsSharedThroughRedis: shared !== undefined,
      signed: config.secret !== '',
      reportsTo: config.routerUrl === '' ? null : config.routerUrl,
    },
    config.dryRun
      ? 'remediator ready in DRY-RUN mode: decisions are recorded, nothing is changed'
      : 'remediator ready: actions are live',
  );
  return app;
}
