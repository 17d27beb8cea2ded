import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { FalcoEvent } from '@falconer/contracts';
import type { MetricsService } from '../metrics/metrics.service';
import { refusalFor, tooLarge, type IngestRefusal } from './ingest-errors';
import type { IngestAuth } from './ingest-auth';
import type { IngestService } from './ingest.service';
import type { ParsePool } from './parse-pool';

export interface RawIngestOptions {
  ingest: IngestService;
  metrics: MetricsService;
  log: Logger;
  bodyLimit: number;
  /** True for paths whose POSTs belong to the app's routes or socket.io (ReservedPaths). */
  isReserved(path: string): boolean;
  /** Opt-in ingest authentication; undefined = open (falcosidekick's default). */
  auth?: IngestAuth;
  /** Parses bodies, on a worker thread under load (ParsePool). */
  parser: Pick<ParsePool, 'parse'>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

function answer(res: ServerResponse, r: IngestRefusal, close = false): void {
  const body = JSON.stringify(r.body);
  res.writeHead(r.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...(close ? { connection: 'close' } : {}),
    ...r.headers,
  });
  res.end(body);
}

/**
 * The hot path: a single-event POST (Falco's http_output) is answered straight from Node's `request`
 * event, before Fastify and Nest see it. Falco sends one request at a time and waits for each answer,
 * so per-request framework cost throttles Falco itself. The profile and the numbers are in ADR 0002.
 * Bodies are parsed by `parser`: on the spot, or on the parse worker thread under load (ADR 0005).
 * Everything else (the API, batches, `/test`, the UI, socket.io) goes on to the listeners that were there.
 */
export function attachRawIngest(server: Server, opts: RawIngestOptions): void {
  const previous = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const { ingest, metrics, log, bodyLimit, parser } = opts;

  const acceptParsed = (res: ServerResponse, event: FalcoEvent): void => {
    ingest.accept(event).then(
      () => {
        // status only: end() without a body then sends `Content-Length: 0` by itself
        res.statusCode = 200;
        res.end();
      },
      (err: unknown) => answer(res, refusalFor(err, metrics, log)),
    );
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bodyLimit) {
      metrics.rejected();
      answer(res, tooLarge(bodyLimit), true);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > bodyLimit) {
        refused = true;
        metrics.rejected();
        answer(res, tooLarge(bodyLimit), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      const denied = opts.auth?.(req.headers, body);
      if (denied !== undefined) {
        metrics.rejected();
        answer(res, denied);
        return;
      }
      parser.parse(body, (parsed) => {
        if (parsed instanceof Error) answer(res, refusalFor(parsed, metrics, log));
        else acceptParsed(res, parsed.event);
      });
    });
    req.on('error', () => res.destroy());
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST') {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      if (!opts.isReserved(path)) {
        handle(req, res);
        return;
      }
    }
    for (const listener of previous) listener.call(server, req, res);
  });
}
