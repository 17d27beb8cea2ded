import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeKubeconfig } from './kubeconfig';

/** A Kubernetes `Status` failure body, as the API server writes it. */
export function kubeStatus(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export interface KubeObjectCall {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A local stand-in for the Kubernetes API server's object store (none can run here): GET, POST (create),
 * PUT (replace, with resourceVersion checks) and DELETE of any object under `/api/...` or `/apis/...`,
 * answering like the real server — the object with a new `metadata.resourceVersion`, or a `Status` with
 * the real reason (NotFound 404, AlreadyExists 409, Conflict 409). Records every call.
 */
export class FakeKubeObjects {
  /** Objects by path (`/apis/g/v/namespaces/ns/plural/name`). */
  readonly objects = new Map<string, Record<string, unknown>>();
  readonly calls: KubeObjectCall[] = [];
  /** Answers a call instead of the store when it returns a reply (injected failures). */
  override: ((call: KubeObjectCall) => { status: number; body: unknown } | undefined) | undefined;
  private version = 1;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeKubeObjects> {
    const server = createServer();
    const api = new FakeKubeObjects(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const call: KubeObjectCall = {
          method: req.method ?? '',
          path: new URL(req.url ?? '/', 'http://fake').pathname,
          body: text === '' ? undefined : (JSON.parse(text) as unknown),
        };
        api.calls.push(call);
        const { status, body } = api.override?.(call) ?? api.handle(call);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Puts an object at a path (e.g. a Namespace at `/api/v1/namespaces/shop`). */
  put(path: string, obj: Record<string, unknown>): this {
    this.objects.set(path, this.stamp(obj));
    return this;
  }

  get(path: string): Record<string, unknown> | undefined {
    return this.objects.get(path);
  }

  /** A kubeconfig file (token user, TLS verification off for plain HTTP) in a fresh temporary directory. */
  writeKubeconfig(token = 'fake-token'): string {
    return writeKubeconfig(this.url, token);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private stamp(obj: Record<string, unknown>): Record<string, unknown> {
    const metadata = { ...((obj['metadata'] as Record<string, unknown> | undefined) ?? {}) };
    metadata['resourceVersion'] = String(this.version++);
    return { ...obj, metadata };
  }

  private handle(call: KubeObjectCall): { status: number; body: unknown } {
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
