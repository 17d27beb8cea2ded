import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { FalconerConfig } from '@falconer/config';
import { sameOrigin, SIGNATURE_HEADER } from '@falconer/util';
import { LIVE_PATH } from '../live/live-path';
import { REMEDIATIONS_PATH } from '../query/remediations-path';
import { DashboardAuth, isRefusal, type Principal, type Refusal } from './dashboard-auth';

/** Where a request belongs, for the gate. */
export type Door = 'public' | 'ingest' | 'metrics' | 'signed-report' | 'dashboard' | 'page';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Ingest keeps its own auth (bearer/HMAC, ingest-auth.ts); these are its Fastify-served paths, falcosidekick's
 * `webui` output posting to `<url>/api/v1/` (ADR 0006) included.
 */
const INGEST_POSTS = new Set(['/', '/test', '/api/v1/events/add', '/api/v1/events', '/api/v1/', '/api/v1']);
const PUBLIC = new Set([
  'GET /healthz',
  'GET /api/v1/healthz',
  'GET /ping',
  'POST /api/v1/auth',
  'POST /api/v1/login',
  'POST /api/v1/logout',
]);

export const LOGIN_PATH = '/api/v1/login';
export const LOGOUT_PATH = '/api/v1/logout';

/** The principal the gate attached to a request (the routes that need a role read it). */
const principals = new WeakMap<IncomingMessage, Principal>();

export function principalOf(req: IncomingMessage): Principal | undefined {
  return principals.get(req);
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const a = headers['authorization'];
  return typeof a === 'string' && a.startsWith('Bearer ') ? a.slice(7).trim() : undefined;
}

function isJson(headers: IncomingHttpHeaders): boolean {
  const t = headers['content-type'];
  return typeof t === 'string' && /^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(t);
}

/**
 * The one decision about who may use the dashboard, the API, `/metrics` and socket.io (SECURITY.md).
 * Fastify calls it in an `onRequest` hook for every route (auth.routes.ts), socket.io in `allowRequest`
 * (live.gateway.ts); routes never check credentials themselves, only the role the gate attached.
 */
export class RequestGate {
  readonly auth: DashboardAuth;
  private readonly basepath: string;
  private readonly allowedOrigins: readonly string[];

  constructor(private readonly config: FalconerConfig) {
    this.auth = new DashboardAuth(config);
    this.basepath = config.ui.basepath;
    this.allowedOrigins = config.ui.allowedorigins;
  }

  /** One line for the start log: who can reach the dashboard. */
  describe(): string {
    if (this.auth.hasUsers) return 'dashboard, API and live stream need a user (session or HTTP Basic)';
    if (this.auth.open) return 'dashboard, API and live stream are OPEN to every client (ui.open: true)';
    return 'dashboard, API and live stream answer loopback clients only (no auth.dashboard.users)';
  }

  door(method: string, path: string, headers: IncomingHttpHeaders): Door {
    const m = method === 'HEAD' ? 'GET' : method;
    if (PUBLIC.has(`${m} ${path}`)) return 'public';
    if (m === 'POST' && INGEST_POSTS.has(path)) return 'ingest';
    if (path === '/metrics') return 'metrics';
    if (
      m === 'POST' &&
      path === REMEDIATIONS_PATH &&
      headers[SIGNATURE_HEADER] !== undefined &&
      this.config.remediation.secret !== ''
    )
      return 'signed-report';
    if (path === this.basepath + '/login') return 'public';
    if (path === this.basepath || path.startsWith(this.basepath + '/')) return 'page';
    if (path.startsWith('/api/') || path === LIVE_PATH || path.startsWith(LIVE_PATH + '/'))
      return 'dashboard';
    // unrouted paths: Fastify answers 404 (or 405 on `/`); nothing to protect
    return 'public';
  }

  /**
   * Undefined when the request may go on (the principal, if any, is attached to it), else the refusal.
   * `routed`: false when no route serves the path (404).
   */
  async check(req: IncomingMessage, path: string, routed = true): Promise<Refusal | undefined> {
    // nothing is served there: Fastify answers 404 (an unknown API path stays a 404 JSON)
    if (!routed) return undefined;
    const method = req.method ?? 'GET';
    const door = this.door(method, path, req.headers);
    switch (door) {
      case 'public':
      case 'ingest':
      case 'signed-report':
        return undefined;
      case 'metrics':
        return this.metrics(req);
      case 'page':
      case 'dashboard': {
        const who = await this.auth.authenticate(req.headers, req.socket.remoteAddress);
        if (isRefusal(who)) return who;
        principals.set(req, who);
        if (SAFE_METHODS.has(method)) return undefined;
        return this.stateChange(req, who);
      }
    }
  }

  /** State-changing requests: an operator, a JSON body and a same-origin browser (or no browser). */
  private stateChange(req: IncomingMessage, who: Principal): Refusal | undefined {
    if (!this.sameOrigin(req))
      return {
        status: 403,
        body: { error: 'forbidden', message: 'cross-origin request refused (Origin / Sec-Fetch-Site)' },
      };
    if (!isJson(req.headers))
      return {
        status: 415,
        body: {
          error: 'unsupported_media_type',
          message: 'send the request with Content-Type: application/json',
        },
      };
    if (who.role !== 'operator')
      return { status: 403, body: { error: 'forbidden', message: `user "${who.username}" is a viewer` } };
    return undefined;
  }

  sameOrigin(req: IncomingMessage): boolean {
    const tls = (req.socket as Partial<TLSSocket>).encrypted === true;
    return sameOrigin(req.headers, tls, this.allowedOrigins);
  }

  private async metrics(req: IncomingMessage): Promise<Refusal | undefined> {
    const { auth, token } = this.config.metrics;
    if (auth === 'none') return undefined;
    const presented = bearer(req.headers);
    if (token !== '' && presented !== undefined) {
      const a = Buffer.from(presented);
      const b = Buffer.from(token);
      if (a.length === b.length && timingSafeEqual(a, b)) return undefined;
    }
    if (auth === 'users') {
      const who = await this.auth.authenticate(req.headers, req.socket.remoteAddress);
      return isRefusal(who) ? who : undefined;
    }
    return {
      status: 401,
      body: { error: 'unauthorized', message: 'send Authorization: Bearer <metrics.token>' },
      headers: { 'www-authenticate': 'Bearer realm="falconer-metrics"' },
    };
  }

  /** socket.io handshake (engine.io `allowRequest`): a dashboard user from the dashboard's own origin. */
  async socket(req: IncomingMessage): Promise<Refusal | undefined> {
    if (!this.sameOrigin(req))
      return {
        status: 403,
        body: { error: 'forbidden', message: 'the live stream answers the dashboard origin only' },
      };
    const who = await this.auth.authenticate(req.headers, req.socket.remoteAddress);
    return isRefusal(who) ? who : undefined;
  }
}
