import { accessSync, constants } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { FALCOSIDEKICK_SUCCESS } from './classify';
import type { CreateContext, HttpSettingValues } from './descriptor';
import { httpOptions } from './common';
import { EventPostOutput, newEventId } from './event-post';
import { sendEach } from './each';
import { HttpSender, type HttpSenderOptions } from './http';
import type { Output, SendFailure, SendResult } from './output';
import { safeExcerpt, secretVariants } from './redact';

/**
 * A `kubeconfig` setting as a readable file path (`~` expanded), or '' when empty. An unreadable file is
 * reported against the key at start, not at the first send.
 */
export function kubeconfigFile(value: string, ctx: Pick<CreateContext, 'error'>, key = 'kubeconfig'): string {
  const file = value.replace(/^~(?=\/|$)/, homedir());
  if (file === '') return '';
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    ctx.error(key, `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return file;
}

/** A service behind the Kubernetes API server's service proxy, and the path on it. */
export interface ServiceProxyTarget {
  namespace: string;
  service: string;
  port: number;
  /** The path on the service, from `/` (`/function/<name>.<namespace>`; `/` for the service root). */
  path: string;
}

/**
 * The API path client-go's `AbsPath` builds for falcosidekick's FaaS outputs in kubeconfig mode:
 * `/api/v1/namespaces/<ns>/services/<service>:<port>/proxy<path>` (path.Join cleans double slashes).
 */
export function serviceProxyPath(t: ServiceProxyTarget): string {
  const e = encodeURIComponent;
  const path = t.path.replace(/\/{2,}/g, '/');
  return `/api/v1/namespaces/${e(t.namespace)}/services/${e(t.service)}:${t.port}/proxy${path.startsWith('/') ? path : `/${path}`}`;
}

export interface ServiceProxyConfig {
  /** Kubeconfig file (checked at start with kubeconfigFile). */
  kubeconfig: string;
  target: ServiceProxyTarget;
  /** Headers of each request besides the kubeconfig's credentials (event id, function headers). */
  headers: (event: FalcoEvent) => Readonly<Record<string, string>>;
  /** HTTP settings of the output (customheaders, User-Agent, its secrets); TLS comes from the kubeconfig. */
  http: Pick<HttpSenderOptions, 'customHeaders' | 'userAgent' | 'secrets'>;
}

interface Connection {
  sender: HttpSender;
  url: string;
  /** The kubeconfig user's credentials for one request (a token, a refreshed exec token, basic auth). */
  auth(): Promise<Record<string, string>>;
}

/**
 * falcosidekick's kubeconfig mode of OpenFaaS, Fission and Kubeless: the event is POSTed to the function
 * through the Kubernetes API server's service proxy, with the cluster address, CA, client certificate and
 * user credentials of the kubeconfig (read by `@kubernetes/client-node`, which signs the request the way it
 * signs its own). The body is `json.Marshal` of the event (no trailing newline), as client-go's `Body(str)`.
 * Statuses are classified like every HTTP output's: 5xx and 429 retried, other 4xx dead-lettered.
 */
export class ServiceProxyOutput implements Output {
  private connection: Promise<Connection> | undefined;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: ServiceProxyConfig,
  ) {}

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      let c: Connection;
      let auth: Record<string, string>;
      try {
        c = await this.connect();
        auth = await c.auth();
      } catch (err) {
        return this.configFailure(err);
      }
      const r = await c.sender.send(
        {
          method: 'POST',
          url: c.url,
          headers: {
            Accept: 'application/json, */*',
            'Content-Type': 'application/json',
            // falcosidekick sends a fresh event id in kubeconfig mode from all three FaaS outputs
            'event-id': newEventId(),
            ...this.config.headers(event),
            ...auth,
          },
          body: serializeEvent(event),
        },
        signal,
      );
      return r.ok ? { ok: true } : r;
    });
  }

  /**
   * The Kubernetes client is loaded on the first send (importing it costs seconds and tens of MB): a
   * router without a kubeconfig-mode output does not pay for it. A failed load is tried again next time.
   */
  private connect(): Promise<Connection> {
    this.connection ??= import('@kubernetes/client-node').then(async (k) => {
      const kc = new k.KubeConfig();
      kc.loadFromFile(this.config.kubeconfig);
      const cluster = kc.getCurrentCluster();
      if (cluster === null) throw new Error(`${this.config.kubeconfig}: no current cluster`);
      // the cluster's CA, the user's client certificate and credentials, as the client applies them
      const apply = async (): Promise<RequestOptions> => {
        const o: RequestOptions = {};
        await kc.applyToHTTPSOptions(o);
        return o;
      };
      const credentials = (o: RequestOptions): Record<string, string> => {
        const h: Record<string, string> = {};
        for (const [name, v] of Object.entries(o.headers ?? {})) if (typeof v === 'string') h[name] = v;
        if (o.auth) h['Authorization'] = `Basic ${Buffer.from(o.auth).toString('base64')}`;
        return h;
      };
      const first = await apply();
      const buf = (v: unknown): Buffer | undefined =>
        typeof v === 'string' || Buffer.isBuffer(v) ? Buffer.from(v) : undefined;
      const ca = buf(first.ca);
      const cert = buf(first.cert);
      const key = buf(first.key);
      const sender = new HttpSender({
        ...this.config.http,
        // the kubeconfig's credentials are secrets too: the bearer token, the basic auth pair
        secrets: [
          ...this.config.http.secrets,
          ...secretVariants(Object.values(credentials(first)).map((v) => v.replace(/^(Bearer|Basic) /, ''))),
        ],
        success: FALCOSIDEKICK_SUCCESS,
        checkcert: first.rejectUnauthorized !== false,
        mutualtls: cert !== undefined,
        material: {
          ...(ca ? { ca: [ca] } : {}),
          ...(cert ? { cert } : {}),
          ...(key ? { key } : {}),
        },
      });
      return {
        sender,
        url: `${cluster.server.replace(/\/+$/, '')}${serviceProxyPath(this.config.target)}`,
        auth: async () => credentials(await apply()),
      };
    });
    const connection = this.connection;
    connection.catch(() => {
      if (this.connection === connection) this.connection = undefined;
    });
    return connection;
  }

  /** A kubeconfig that cannot be used (a missing cluster, a failing exec plugin): dead-lettered. */
  private configFailure(err: unknown): SendFailure {
    return {
      ok: false,
      retryable: false,
      reason: 'client_error',
      detail: safeExcerpt(
        `kubeconfig ${this.config.kubeconfig}: ${err instanceof Error ? err.message : String(err)}`,
        this.config.http.secrets,
        400,
      ),
    };
  }

  async close(): Promise<void> {
    const c = await this.connection?.catch(() => undefined);
    c?.sender.close();
  }
}

/**
 * A FaaS output (OpenFaaS, Fission, Kubeless) as falcosidekick builds it: without a kubeconfig, a POST of
 * the event to the in-cluster `url` (or the `endpoint` override); with one, through the API server's
 * service proxy to `target`. `headers` are sent either way.
 */
export function faasOutput(
  values: HttpSettingValues & { kubeconfig: string },
  ctx: CreateContext,
  o: {
    url: string;
    target: ServiceProxyTarget;
    headers?: (event: FalcoEvent) => Readonly<Record<string, string>>;
  },
): Output {
  const kubeconfig = kubeconfigFile(values.kubeconfig, ctx);
  const http = httpOptions(values, ctx);
  if (kubeconfig === '') {
    return new EventPostOutput(ctx.name, ctx.type, {
      url: o.url,
      http,
      ...(o.headers ? { headers: o.headers } : {}),
    });
  }
  return new ServiceProxyOutput(ctx.name, ctx.type, {
    kubeconfig,
    target: o.target,
    headers: o.headers ?? (() => ({})),
    http,
  });
}
