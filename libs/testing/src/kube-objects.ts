import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeKubeconfig } from './kubeconfig';

/** A Kubernetes `Status` failure body, as the API server writes it. */
export function kubeStatus(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, string>,
): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  };
}

/** One request to a fake Kubernetes API server. */
export interface KubeCall {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  contentType: string;
  /** The JSON body (the text when it is not JSON; undefined when empty). */
  body: unknown;
  /** When it was answered (epoch ms). */
  at: number;
}

export interface KubeReply {
  status: number;
  body: unknown;
}

/**
 * The HTTP side every fake Kubernetes API server here shares: a loopback server that records each call,
 * answers it with JSON (after `delayMs()`, for timing tests) and writes a kubeconfig pointing at itself.
 * Subclasses decide the answers.
 */
export abstract class FakeKubeServer {
  readonly calls: KubeCall[] = [];
  /** Answers a call instead of the built-in behaviour when it returns a reply (injected failures). */
  override: ((call: KubeCall) => KubeReply | undefined) | undefined;
  /** Every request waits this long before its answer (timing tests). */
  delayMs = 0;
  private server: Server | undefined;

  protected abstract handle(call: KubeCall): KubeReply;

  /** Listens on an ephemeral loopback port. */
  protected async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (): void => {
          const { status, body } = this.answer(req, Buffer.concat(chunks).toString('utf8'));
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }

  private answer(req: IncomingMessage, text: string): KubeReply {
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const call: KubeCall = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'] ?? '',
      body,
      at: Date.now(),
    };
    this.calls.push(call);
    return this.override?.(call) ?? this.handle(call);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  /** A kubeconfig file (token user, TLS verification off for plain HTTP) in a fresh temporary directory. */
  writeKubeconfig(token = 'fake-token'): string {
    return writeKubeconfig(this.url, token);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * A local stand-in for the Kubernetes API server's object store (none can run here): GET, POST (create),
 * PUT (replace, with resourceVersion checks) and DELETE of any object under `/api/...` or `/apis/...`,
 * answering like the real server — the object with a new `metadata.resourceVersion`, or a `Status` with
 * the real reason (NotFound 404, AlreadyExists 409, Conflict 409). Records every call.
 */
export class FakeKubeObjects extends FakeKubeServer {
  /** Objects by path (`/apis/g/v/namespaces/ns/plural/name`). */
  readonly objects = new Map<string, Record<string, unknown>>();
  private version = 1;

  static async start(): Promise<FakeKubeObjects> {
    const api = new FakeKubeObjects();
    await api.listen();
    return api;
  }

  /** Puts an object at a path (e.g. a Namespace at `/api/v1/namespaces/shop`). */
  put(path: string, obj: Record<string, unknown>): this {
    this.objects.set(path, this.stamp(obj));
    return this;
  }

  get(path: string): Record<string, unknown> | undefined {
    return this.objects.get(path);
  }

  private stamp(obj: Record<string, unknown>): Record<string, unknown> {
    const metadata = { ...((obj['metadata'] as Record<string, unknown> | undefined) ?? {}) };
    metadata['resourceVersion'] = String(this.version++);
    return { ...obj, metadata };
  }

  protected handle(call: KubeCall): KubeReply {
    const existing = this.objects.get(call.path);
    const name = call.path.split('/').at(-1) ?? '';
    const notFound = { status: 404, body: kubeStatus(404, 'NotFound', `"${name}" not found`) };
    switch (call.method) {
      case 'GET':
        return existing ? { status: 200, body: existing } : notFound;
      case 'DELETE':
        if (!existing) return notFound;
        this.objects.delete(call.path);
        return { status: 200, body: existing };
      case 'POST': {
        const obj = call.body as Record<string, unknown>;
        const objName = ((obj['metadata'] as Record<string, unknown> | undefined)?.['name'] as string) ?? '';
        const path = `${call.path}/${objName}`;
        if (this.objects.has(path)) {
          return { status: 409, body: kubeStatus(409, 'AlreadyExists', `"${objName}" already exists`) };
        }
        const created = this.stamp(obj);
        this.objects.set(path, created);
        return { status: 201, body: created };
      }
      case 'PUT': {
        if (!existing) return notFound;
        const obj = call.body as Record<string, unknown>;
        const rv = (obj['metadata'] as Record<string, unknown> | undefined)?.['resourceVersion'];
        const current = (existing['metadata'] as Record<string, unknown>)['resourceVersion'];
        if (rv !== undefined && rv !== current) {
          return {
            status: 409,
            body: kubeStatus(
              409,
              'Conflict',
              `Operation cannot be fulfilled on "${name}": the object has been modified`,
            ),
          };
        }
        const replaced = this.stamp(obj);
        this.objects.set(call.path, replaced);
        return { status: 200, body: replaced };
      }
      default:
        return { status: 405, body: kubeStatus(405, 'MethodNotAllowed', 'method not allowed') };
    }
  }
}
