import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { LosslessNumber, type ApiError, type FalcoEvent, type JsonValue } from '@falconer/contracts';
import { TEST_RULE } from '@falconer/routing';
import {
  decodeBody,
  EventValidationError,
  parseEvent,
  serializeEvent,
  validateEventValue,
  type ParsedEvent,
} from '@falconer/falco';
import { refusalFor, tooLarge } from './ingest-errors';
import type { IngestAuth } from './ingest-auth';
import type { IngestService } from './ingest.service';
import type { MetricsService } from '../metrics/metrics.service';
import { stripFalcoPrefix, WEBUI_ACCEPTED } from './webui';

export interface IngestRouteOptions {
  ingest: IngestService;
  metrics: MetricsService;
  log: Logger;
  bodyLimit: number;
  batchBodyLimit: number;
  auth?: IngestAuth;
  /** Told the output names each falcosidekick webui body lists. */
  onWebUiOutputs?: (names: readonly string[]) => void;
}

export const MAX_BATCH_EVENTS = 10_000;

function sendError(
  reply: FastifyReply,
  status: number,
  body: ApiError,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply.code(status).headers(headers).type('application/json').send(JSON.stringify(body));
}

/**
 * Ingest routes that are not the hot path (batches, the falcosidekick-ui envelope, `/test`, 405s), served on
 * the Fastify instance outside Nest's per-request pipeline. Bodies are taken raw, whatever the Content-Type.
 */
export function registerIngestRoutes(fastify: FastifyInstance, opts: IngestRouteOptions): void {
  const { ingest, metrics, log } = opts;

  const fail = (reply: FastifyReply, err: unknown, count = 1): FastifyReply => {
    const r = refusalFor(err, metrics, log, count);
    return sendError(reply, r.status, r.body, r.headers);
  };

  /** A refusal answer when ingest auth is configured and the request does not pass it. */
  const denied = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    const r = opts.auth?.(request.headers, bodyOf(request));
    if (r === undefined) return undefined;
    metrics.rejected();
    return sendError(reply, r.status, r.body, r.headers);
  };

  /**
   * falcosidekick's webui output (`{"event":…,"outputs":[…]}`, a bare event is taken too): recorded and
   * pushed live, not routed, since that falcosidekick has delivered it already (ADR 0006).
   */
  const webui = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const refused = denied(request, reply);
    if (refused) return refused;
    let parsed: ParsedEvent;
    try {
      parsed = parseEvent(bodyOf(request), ingest.limits);
    } catch (err) {
      return fail(reply, err);
    }
    try {
      await ingest.accept(
        { ...parsed.event, output: stripFalcoPrefix(parsed.event.output) },
        { historyOnly: true },
      );
    } catch (err) {
      return fail(reply, err);
    }
    if (parsed.outputs !== undefined) opts.onWebUiOutputs?.(parsed.outputs);
    return reply.code(200).type('application/json; charset=utf-8').send(WEBUI_ACCEPTED);
  };

  const batch = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const refused = denied(request, reply);
    if (refused) return refused;
    let events: FalcoEvent[];
    try {
      events = parseBatch(
        bodyOf(request),
        String(request.headers['content-type'] ?? ''),
        ingest,
        opts.bodyLimit,
      );
    } catch (err) {
      return fail(reply, err, 1);
    }
    try {
      const accepted = await ingest.acceptAll(events);
      return reply
        .code(200)
        .type('application/json')
        .send(JSON.stringify({ accepted, received: events.length }));
    } catch (err) {
      return fail(reply, err);
    }
  };

  void fastify.register((instance, _o, done) => {
    // encapsulated: these parsers apply to ingest routes only, the rest of the API keeps JSON parsing
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req, body, next) =>
      next(null, body),
    );
    instance.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
      if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        metrics.rejected();
        const r = tooLarge(opts.bodyLimit);
        return sendError(reply, r.status, r.body);
      }
      if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
        metrics.rejected();
        return sendError(reply, err.statusCode, { error: 'bad_request', message: err.message });
      }
      log.error({ err }, 'ingest route error');
      return sendError(reply, 500, { error: 'internal', message: 'internal error' });
    });

    instance.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH'],
      url: '/',
      handler: (_req, reply) =>
        sendError(
          reply,
          405,
          { error: 'method_not_allowed', message: 'send Falco events with POST /' },
          { allow: 'POST' },
        ),
    });
    instance.post('/test', async (request, reply) => {
      const refused = denied(request, reply);
      if (refused) return refused;
      try {
        await ingest.accept(testEvent());
      } catch (err) {
        return fail(reply, err);
      }
      return reply.code(200).send();
    });
    instance.post('/api/v1/events/add', webui);
    // falcosidekick's webui output posts to `<webui.url>/api/v1/`
    instance.post('/api/v1/', webui);
    instance.post('/api/v1', webui);
    instance.post('/api/v1/events', { bodyLimit: opts.batchBodyLimit }, batch);
    // POST / and POSTs to unrouted paths are answered by the raw fast path (raw-ingest.ts); a POST that
    // reaches Fastify under a reserved prefix without a route is a 404
    instance.post('/*', (request, reply) =>
      sendError(reply, 404, {
        error: 'not_found',
        message: `no route POST ${request.url.split('?')[0] ?? '/'}`,
      }),
    );
    done();
  });
}

function bodyOf(request: FastifyRequest): Buffer {
  const b = request.body;
  return Buffer.isBuffer(b) ? b : Buffer.alloc(0);
}

/** A JSON array or NDJSON; every event valid or none is taken. */
function parseBatch(
  body: Buffer,
  contentType: string,
  ingest: IngestService,
  bodyLimit: number,
): FalcoEvent[] {
  const limits = ingest.limits;
  const ndjson = contentType.includes('ndjson') || contentType.includes('jsonl');
  let values: JsonValue[];
  if (ndjson) {
    const text = decodeBodyText(body);
    values = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .map((line, i) => {
        try {
          return decodeBody(line, limits);
        } catch (err) {
          throw new EventValidationError(
            `line ${i + 1}: ${(err as Error).message}`,
            `[${i}]`,
            'invalid_json',
          );
        }
      });
  } else {
    const v = decodeBody(body, { ...limits, maxDepth: limits.maxDepth + 1 });
    values = Array.isArray(v) ? v : [v];
  }
  if (values.length === 0) throw new EventValidationError('the batch is empty', undefined);
  if (values.length > MAX_BATCH_EVENTS) {
    throw new EventValidationError(
      `the batch has ${values.length} events; at most ${MAX_BATCH_EVENTS} per request`,
    );
  }
  return values.map((v, i) => {
    try {
      const event = validateEventValue(v, limits).event;
      // each event of a batch is bounded like a single one (limits.bodybytes)
      const bytes = Buffer.byteLength(serializeEvent(event));
      if (bytes > bodyLimit)
        throw new EventValidationError(
          `${bytes} bytes; each event is limited to ${bodyLimit} bytes (limits.bodybytes)`,
        );
      return event;
    } catch (err) {
      if (err instanceof EventValidationError) {
        throw new EventValidationError(
          `event ${i}: ${err.message}`,
          `[${i}]${err.field !== undefined ? '.' + err.field : ''}`,
        );
      }
      throw err;
    }
  });
}

function decodeBodyText(body: Buffer): string {
  if (!isUtf8(body)) throw new EventValidationError('body is not valid UTF-8', undefined, 'invalid_encoding');
  return body.toString('utf8');
}

/** The event `POST /test` injects; it passes every filter, as in falcosidekick. */
export function testEvent(): FalcoEvent {
  return {
    uuid: randomUUID(),
    output: 'This is a test from Falconer',
    priority: 'Debug',
    rule: TEST_RULE,
    time: new Date()
      .toISOString()
      .replace(/\.(\d{3})Z$/, (_m, ms: string) => (ms === '000' ? 'Z' : `.${ms.replace(/0+$/, '')}Z`)),
    output_fields: Object.assign(Object.create(null) as Record<string, never>, {
      'proc.name': 'falconer',
      'user.name': 'falconer',
      'evt.time': new LosslessNumber(String(BigInt(Date.now()) * 1_000_000n)),
    }),
    source: 'debug',
    tags: ['example', 'test'],
    hostname: 'falconer',
  };
}
