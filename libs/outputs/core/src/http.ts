import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { resultForStatus } from './classify';
import type { SendFailure } from './output';
import { redactUrl, safeExcerpt } from './redact';

/** Falconer's version as sent in `User-Agent` when the caller gives none. */
export const FALCONER_VERSION = '0.1.0';

/** Outbound TLS material shared by every output (config `tlsclient`, `mutualtlsclient`). */
export interface ClientTls {
  /** Extra CA bundle (PEM file) trusted in addition to the system roots. */
  cacertfile?: string;
  /** Client certificate for outputs with `mutualtls: true`. */
  mutualtls?: { certfile: string; keyfile: string; cacertfile?: string };
}

export interface HttpClientOptions {
  /** `checkcert: false` disables TLS verification for this output only. */
  checkcert: boolean;
  /** Present the client certificate (`mutualtls: true`). */
  mutualtls: boolean;
  tls?: ClientTls;
  /** Default `Falconer/<version>`; customheaders may still override it. */
  userAgent?: string;
}

/** Loaded TLS files, read once at start so a missing file is a start-up error, not a send error. */
export interface TlsMaterial {
  ca?: Buffer[];
  cert?: Buffer;
  key?: Buffer;
}

/** Reads the configured PEM files; problems are returned as messages (`tlsclient.cacertfile: …`). */
export function loadTls(
  tls: ClientTls | undefined,
  mutualtls: boolean,
): { material: TlsMaterial; errors: string[] } {
  const errors: string[] = [];
  const material: TlsMaterial = {};
  const read = (file: string, key: string): Buffer | undefined => {
    try {
      return readFileSync(file);
    } catch (err) {
      errors.push(`${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  };
  const cas: Buffer[] = [];
  if (tls?.cacertfile) {
    const b = read(tls.cacertfile, 'tlsclient.cacertfile');
    if (b) cas.push(b);
  }
  if (mutualtls) {
    const m = tls?.mutualtls;
    if (!m?.certfile || !m.keyfile) {
      errors.push('mutualtls: needs mutualtlsclient.certfile and mutualtlsclient.keyfile');
    } else {
      material.cert = read(m.certfile, 'mutualtlsclient.certfile');
      material.key = read(m.keyfile, 'mutualtlsclient.keyfile');
      if (m.cacertfile) {
        const b = read(m.cacertfile, 'mutualtlsclient.cacertfile');
        if (b) cas.push(b);
      }
    }
  }
  if (cas.length > 0) {
    // An extra CA must add to the system roots, not replace them (Go's SystemCertPool + AppendCertsFromPEM).
    material.ca = [...rootCertificates.map((c) => Buffer.from(c)), ...cas];
  }
  return { material, errors };
}

/** The variables axios (proxy-from-env) reads to pick a proxy, as falcosidekick's Go client does. */
const PROXY_VARIABLE = /^(npm_config_)?((https?|all)_)?proxy$/i;

/** True when the environment names a proxy; read once per instance, not on every request. */
export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Object.keys(env).some((k) => PROXY_VARIABLE.test(k) && (env[k] ?? '') !== '');
}

/**
 * The one place an axios instance is made: keep-alive agents, TLS per output, raw text bodies, no
 * redirects, no status-based throwing (the classifier decides), no timeout (the delivery layer aborts
 * through the AbortSignal it passes to `send`).
 */
export function createAxios(checkcert: boolean, material: TlsMaterial = {}): AxiosInstance {
  const httpsAgent = new HttpsAgent({
    keepAlive: true,
    rejectUnauthorized: checkcert,
    ...(material.ca ? { ca: material.ca } : {}),
    ...(material.cert ? { cert: material.cert } : {}),
    ...(material.key ? { key: material.key } : {}),
  });
  return axios.create({
    httpAgent: new HttpAgent({ keepAlive: true }),
    httpsAgent,
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    // Bodies leave byte for byte: axios would otherwise trim JSON strings (losing the trailing newline).
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
    maxContentLength: 64 * 1024 * 1024,
    maxBodyLength: Infinity,
    decompress: true,
    // without proxy variables axios would still look them up and parse the URL for each request
    ...(proxyConfigured() ? {} : { proxy: false as const }),
  });
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD' | 'DELETE';
  url: string;
  /** Output-specific headers (auth, content type). customheaders are applied after these. */
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

export type HttpOutcome =
  { response: HttpResponse; failure?: undefined } | { response?: undefined; failure: SendFailure };

export interface HttpSenderOptions extends HttpClientOptions {
  /** `customheaders`: applied last, may override Content-Type and User-Agent. */
  customHeaders?: Readonly<Record<string, string>>;
  /** Every secret of this output; removed from every detail. */
  secrets: readonly string[];
  /** Statuses that count as success; default any 2xx. */
  success?: ReadonlySet<number>;
  /** Pre-loaded TLS material (see loadTls); loaded from `tls` when absent. */
  material?: TlsMaterial;
}

/** Merges header maps case-insensitively; later maps win, the later spelling is kept. */
export function mergeHeaders(
  ...maps: (Readonly<Record<string, string>> | undefined)[]
): Record<string, string> {
  const byLower = new Map<string, [string, string]>();
  for (const m of maps) {
    if (!m) continue;
    for (const [k, v] of Object.entries(m)) byLower.set(k.toLowerCase(), [k, v]);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of byLower.values()) out[k] = v;
  return out;
}

/**
 * The shared HTTP sender of every HTTP output: default headers, customheaders, TLS, abort, and the
 * mapping of network errors to a classified, redacted SendFailure. It never retries.
 */
export class HttpSender {
  private readonly client: AxiosInstance;
  private readonly baseHeaders: Record<string, string>;

  constructor(private readonly opts: HttpSenderOptions) {
    const material = opts.material ?? loadTls(opts.tls, opts.mutualtls).material;
    this.client = createAxios(opts.checkcert, material);
    this.baseHeaders = {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': opts.userAgent ?? `Falconer/${FALCONER_VERSION}`,
    };
  }

  get secrets(): readonly string[] {
    return this.opts.secrets;
  }

  /** Sends one request; resolves with the response (any status) or a classified transport failure. */
  async request(req: HttpRequest, signal: AbortSignal): Promise<HttpOutcome> {
    if (signal.aborted) return { failure: this.abortFailure(signal, req.url) };
    try {
      const res = await this.client.request<string>({
        method: req.method,
        url: req.url,
        headers: mergeHeaders(this.baseHeaders, req.headers, this.opts.customHeaders),
        data: req.body,
        signal,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers as Record<string, unknown>)) {
        if (typeof v === 'string') headers[k.toLowerCase()] = v;
        else if (Array.isArray(v)) headers[k.toLowerCase()] = v.join(', ');
      }
      return {
        response: { status: res.status, headers, body: typeof res.data === 'string' ? res.data : '' },
      };
    } catch (err) {
      if (signal.aborted) return { failure: this.abortFailure(signal, req.url) };
      return { failure: this.errorFailure(err, req.url) };
    }
  }

  /** Sends and classifies: `{ ok: true }` for success, else a SendFailure with a redacted excerpt. */
  async send(
    req: HttpRequest,
    signal: AbortSignal,
  ): Promise<{ ok: true; response: HttpResponse } | SendFailure> {
    const out = await this.request(req, signal);
    if (out.failure) return out.failure;
    const failure = this.classify(out.response, req.url);
    return failure ?? { ok: true, response: out.response };
  }

  /** The failure for a response, or undefined when its status is a success. */
  classify(res: HttpResponse, url: string): SendFailure | undefined {
    return resultForStatus({
      status: res.status,
      retryAfter: res.headers['retry-after'],
      detail: this.detail(`HTTP ${res.status}`, url, res.body),
      success: this.opts.success,
    });
  }

  /** `<what> from <redacted url>: <excerpt>` with every secret removed. */
  detail(what: string, url: string, excerpt = ''): string {
    const body = safeExcerpt(excerpt, this.opts.secrets);
    return safeExcerpt(
      `${what} from ${redactUrl(url)}${body === '' ? '' : `: ${body}`}`,
      this.opts.secrets,
      400,
    );
  }

  private abortFailure(signal: AbortSignal, url: string): SendFailure {
    const reason: unknown = signal.reason;
    const isTimeout =
      reason instanceof Error && (reason.name === 'TimeoutError' || /timeout/i.test(reason.message));
    return {
      ok: false,
      retryable: true,
      reason: 'timeout',
      detail: this.detail(isTimeout ? 'timed out' : 'aborted', url),
    };
  }

  private errorFailure(err: unknown, url: string): SendFailure {
    const code = isAxiosError(err)
      ? (err.code ?? '')
      : ((err as NodeJS.ErrnoException | undefined)?.code ?? '');
    const message = err instanceof Error ? err.message : String(err);
    const isTimeout = code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT';
    return {
      ok: false,
      retryable: true,
      reason: isTimeout ? 'timeout' : 'network',
      detail: this.detail(code !== '' && !message.includes(code) ? `${code} ${message}` : message, url),
    };
  }

  /** Frees the keep-alive sockets. */
  close(): void {
    const d = this.client.defaults;
    (d.httpAgent as HttpAgent | undefined)?.destroy();
    (d.httpsAgent as HttpsAgent | undefined)?.destroy();
  }
}
