import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import {
  createServer as createTlsServer,
  type Server as TlsServer,
  type ServerOptions as TlsServerOptions,
} from 'node:https';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  at: number;
}

export interface ReceiverReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (the connection stays open until the client gives up or the receiver closes). */
  hang?: boolean;
  /** Cut the connection without an answer (the client sees a reset / socket hang up). */
  reset?: boolean;
}

export type Responder = (req: RecordedRequest, index: number) => ReceiverReply;

/**
 * A real HTTP server on 127.0.0.1 that records every request and answers as told. Outputs and
 * delivery are tested by what actually arrives here.
 */
export class Receiver {
  readonly requests: RecordedRequest[] = [];
  private responder: Responder = () => ({ status: 200 });
  private readonly hanging = new Set<ServerResponse>();
  private waiters: { n: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: Server | TlsServer,
    private readonly tls = false,
  ) {}

  /** `tls`: serve HTTPS with these options (key, cert, and `requestCert`/`ca` to require client certificates). */
  static async start(responder?: Responder, port = 0, tls?: TlsServerOptions): Promise<Receiver> {
    const server = tls ? createTlsServer(tls) : createServer();
    const receiver = new Receiver(server, tls !== undefined);
    if (responder) receiver.respond(responder);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const rec: RecordedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          text: body.toString('utf8'),
          at: Date.now(),
        };
        const index = receiver.requests.length;
        receiver.requests.push(rec);
        let reply: ReceiverReply;
        try {
          reply = receiver.responder(rec, index);
        } catch {
          reply = { status: 500, body: 'responder failed' };
        }
        receiver.notify();
        if (reply.reset) {
          res.socket?.resetAndDestroy();
          return;
        }
        if (reply.hang) {
          receiver.hanging.add(res);
          res.on('close', () => receiver.hanging.delete(res));
          return;
        }
        const send = (): void => {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.body ?? '');
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  /** Resolves once at least n requests have arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`receiver got ${this.requests.length} requests, expected ${n}`)),
        timeoutMs,
      );
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => this.requests.length >= w.n);
    this.waiters = this.waiters.filter((w) => this.requests.length < w.n);
    for (const w of ready) w.resolve();
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
