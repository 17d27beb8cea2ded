import { isUtf8 } from 'node:buffer';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ApiError, RemediationRecord } from '@falconer/contracts';
import type { FalconerConfig } from '@falconer/config';
import type { EventStore } from '@falconer/store';
import { ReplayGuard } from '@falconer/util';
import type { Principal } from '../auth/dashboard-auth';
import { principalOf } from '../auth/request-gate';
import { CONFIG, LOGGER, STORE } from '../core/tokens';
import { LiveHub } from '../live/live.hub';
import { REMEDIATIONS_PATH } from './remediations-path';
import { remediationSecret, SIGNATURE_HEADER, signatureProblem } from './remediation-signature';

const BODY_LIMIT = 64 * 1024;

const rfc3339 = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
      !Number.isNaN(Date.parse(s)),
    {
      message: 'expected an RFC 3339 time',
    },
  );

const recordSchema = z.object({
  uuid: z.string().min(1).max(200),
  rule: z.string().max(1000),
  action: z.string().min(1).max(200),
  outcome: z.enum(['acted', 'dry_run', 'skipped', 'failed']),
  target: z
    .object({ namespace: z.string().max(253).optional(), pod: z.string().max(253).optional() })
    .optional(),
  reason: z.string().max(4000).optional(),
  status: z.number().int().min(100).max(599).optional(),
  at: rfc3339,
});

function mayReportUnsigned(who: Principal | undefined, secret: string): boolean {
  if (who?.role !== 'operator') return false;
  return secret === '' || who.via === 'session' || who.via === 'basic';
}

function send(reply: FastifyReply, status: number, body: ApiError | Record<string, unknown>): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/**
 * `POST /api/v1/remediations`: the remediator reports a decision for an event. The signature covers the
 * exact bytes, so this route takes the raw body (its own content-type parser, like ingest) instead of a
 * Nest controller that would only see the parsed JSON.
 */
@Injectable()
export class RemediationsRoute implements OnModuleInit {
  private readonly secret: string;
  private readonly replays = new ReplayGuard();

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(CONFIG) config: FalconerConfig,
    @Inject(STORE) private readonly store: EventStore,
    @Inject(LiveHub) private readonly live: LiveHub,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.secret = remediationSecret(config);
  }

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register((instance, _opts, done) => {
      instance.removeAllContentTypeParsers();
      instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, next) =>
        next(null, body),
      );
      instance.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
        if (err.statusCode === 413)
          return send(reply, 413, {
            error: 'payload_too_large',
            message: `body is larger than ${BODY_LIMIT} bytes`,
          });
        if (err.statusCode !== undefined && err.statusCode < 500)
          return send(reply, err.statusCode, { error: 'bad_request', message: err.message });
        this.log.error({ err: err.message }, 'remediation report failed');
        return send(reply, 500, { error: 'internal', message: 'internal error' });
      });
      instance.post(REMEDIATIONS_PATH, async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const header = request.headers[SIGNATURE_HEADER];
        if (this.secret !== '' && header !== undefined) {
          const problem = signatureProblem(
            this.replays,
            this.secret,
            Array.isArray(header) ? header.join(',') : header,
            body,
          );
          if (problem !== undefined) {
            this.log.warn({ reason: problem }, 'remediation report refused');
            return send(reply, 401, { error: 'unauthorized', message: problem });
          }
        } else if (!mayReportUnsigned(principalOf(request.raw), this.secret)) {
          // with a secret, an unsigned report needs a signed-in operator, not merely a loopback client
          return send(reply, 401, {
            error: 'unauthorized',
            // a remediator without the secret is the usual cause: say what it lacks
            message:
              this.secret !== ''
                ? 'missing X-Falconer-Signature header'
                : 'unsigned reports need an operator (sign in, or set remediation.secret and sign them)',
          });
        }
        let value: unknown;
        try {
          if (!isUtf8(body)) throw new Error('body is not valid UTF-8');
          value = JSON.parse(body.toString('utf8'));
        } catch (err) {
          return send(reply, 400, {
            error: 'invalid_body',
            message: `expected a RemediationRecord as JSON: ${(err as Error).message}`,
          });
        }
        const parsed = recordSchema.safeParse(value);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = issue?.path.join('.') ?? '';
          return send(reply, 400, {
            error: 'invalid_body',
            message: `${field === '' ? 'body' : field}: ${issue?.message ?? 'invalid'}`,
            ...(field !== '' ? { field } : {}),
          });
        }
        const record: RemediationRecord = parsed.data;
        if (!(await this.store.addRemediation(record))) {
          return send(reply, 404, {
            error: 'not_found',
            message: `no stored event with uuid "${record.uuid}"`,
          });
        }
        this.live.remediation(record);
        return send(reply, 200, { status: 'stored' });
      });
      done();
    });
  }
}
