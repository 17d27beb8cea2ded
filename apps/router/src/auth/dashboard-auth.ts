import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import bcrypt from 'bcryptjs';
import type { ApiError } from '@falconer/contracts';
import { isLoopback } from '@falconer/util';
import type { DashboardRole, DashboardUser, FalconerConfig } from '@falconer/config';

/** Who a request acts as once the gate let it through. */
export interface Principal {
  username: string;
  role: DashboardRole;
  via: 'session' | 'basic' | 'loopback' | 'open';
}

export interface Refusal {
  status: 401 | 403 | 415;
  body: ApiError;
  headers?: Record<string, string>;
}

export const SESSION_COOKIE = 'falconer_session';
/** What falcosidekick-ui's frontend sends when its server has no credentials configured. */
const ANONYMOUS = { username: 'anonymous', password: 'anonymous' };
/** Live sessions kept at most (oldest dropped first): logins cannot grow memory without bound. */
const MAX_SESSIONS = 10_000;
/** Verified Basic credentials are remembered briefly: bcrypt costs tens of ms per check, per request. */
const BASIC_CACHE_MAX = 1_000;
const BASIC_CACHE_MS = 60_000;
/** Compared against when the username is unknown, so a wrong name costs as long as a wrong password. */
const DUMMY_HASH = '$2b$10$fzAeEQuhm1nIOe.WqIeLLuJvNzMvH7jXrLOguggC6qKDfV7VXuZ2i';

interface Session {
  username: string;
  role: DashboardRole;
  expires: number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function cookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const raw = header(headers, 'cookie');
  if (raw === undefined) return undefined;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Authorization: Basic …` → username and password, or undefined. */
export function basicCredentials(
  headers: IncomingHttpHeaders,
): { username: string; password: string } | undefined {
  const auth = header(headers, 'authorization');
  if (auth === undefined || !/^basic /i.test(auth)) return undefined;
  const text = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The dashboard's users and sessions (spec/security.md, SECURITY.md). With users configured every
 * dashboard, API and socket.io request needs a session cookie or HTTP Basic for one of them; without
 * users only loopback clients are let in, unless `ui.open` says everyone is.
 */
export class DashboardAuth {
  private readonly users = new Map<string, DashboardUser>();
  private readonly sessions = new Map<string, Session>();
  private readonly basicCache = new Map<string, { principal: Principal | undefined; until: number }>();
  readonly ttlMs: number;
  readonly open: boolean;

  constructor(
    config: Pick<FalconerConfig, 'auth' | 'ui'>,
    private readonly now: () => number = Date.now,
  ) {
    for (const u of config.auth.dashboard.users) this.users.set(u.username, u);
    this.ttlMs = config.auth.dashboard.sessionttlMs;
    this.open = config.ui.open;
  }

  get hasUsers(): boolean {
    return this.users.size > 0;
  }

  /** Checks a username and password (bcrypt); undefined when they do not match a configured user. */
  async verify(username: string, password: string): Promise<DashboardUser | undefined> {
    const user = this.users.get(username);
    const ok = await bcrypt.compare(password, user?.passwordhash ?? DUMMY_HASH);
    return ok && user !== undefined ? user : undefined;
  }

  /** A new session for a verified user: the cookie value and when it expires. */
  startSession(user: Pick<DashboardUser, 'username' | 'role'>): { token: string; expires: number } {
    const token = randomBytes(32).toString('base64url');
    const expires = this.now() + this.ttlMs;
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    this.sessions.set(token, { username: user.username, role: user.role, expires });
    return { token, expires };
  }

  endSession(headers: IncomingHttpHeaders): void {
    const token = cookieValue(headers, SESSION_COOKIE);
    if (token !== undefined) this.sessions.delete(token);
  }

  private session(headers: IncomingHttpHeaders): Principal | undefined {
    const token = cookieValue(headers, SESSION_COOKIE);
    if (token === undefined) return undefined;
    const s = this.sessions.get(token);
    if (s === undefined) return undefined;
    if (s.expires <= this.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return { username: s.username, role: s.role, via: 'session' };
  }

  private async basic(creds: { username: string; password: string }): Promise<Principal | undefined> {
    const key = createHash('sha256').update(`${creds.username}\u0000${creds.password}`).digest('base64');
    const t = this.now();
    const hit = this.basicCache.get(key);
    if (hit !== undefined && hit.until > t) return hit.principal;
    const user = await this.verify(creds.username, creds.password);
    const principal: Principal | undefined =
      user === undefined ? undefined : { username: user.username, role: user.role, via: 'basic' };
    if (this.basicCache.size >= BASIC_CACHE_MAX) this.basicCache.clear();
    this.basicCache.set(key, { principal, until: t + BASIC_CACHE_MS });
    return principal;
  }

  /**
   * Who this request is, or why it is refused. `remoteAddress` decides only when no user is
   * configured: loopback clients (the machine itself, `kubectl port-forward`) act as operators.
   */
  async authenticate(
    headers: IncomingHttpHeaders,
    remoteAddress: string | undefined,
  ): Promise<Principal | Refusal> {
    if (!this.hasUsers) {
      if (this.open) return { username: 'anonymous', role: 'operator', via: 'open' };
      if (isLoopback(remoteAddress)) return { username: 'anonymous', role: 'operator', via: 'loopback' };
      return {
        status: 403,
        body: {
          error: 'forbidden',
          message:
            'no dashboard users are configured, so the dashboard, the API and the live stream answer ' +
            'loopback clients only: add auth.dashboard.users (npm run hash-password) or set ui.open: true',
        },
      };
    }
    const session = this.session(headers);
    if (session !== undefined) return session;
    const creds = basicCredentials(headers);
    if (creds !== undefined) {
      const p = await this.basic(creds);
      if (p !== undefined) return p;
    }
    return {
      status: 401,
      body: {
        error: 'unauthorized',
        message:
          creds !== undefined
            ? 'the username or password is not valid'
            : 'sign in (session cookie) or send HTTP Basic credentials',
      },
      headers: { 'www-authenticate': 'Basic realm="falconer", charset="UTF-8"' },
    };
  }

  /**
   * `POST /api/v1/auth` (falcosidekick-ui's check): true for a configured user's credentials, and, with
   * no users configured, for `anonymous:anonymous` as falcosidekick-ui answers then.
   */
  async checkCredentials(headers: IncomingHttpHeaders): Promise<Principal | undefined> {
    const creds = basicCredentials(headers);
    if (creds === undefined) return this.session(headers);
    if (!this.hasUsers)
      return sameText(creds.username, ANONYMOUS.username) && sameText(creds.password, ANONYMOUS.password)
        ? { username: 'anonymous', role: 'operator', via: 'basic' }
        : undefined;
    return this.basic(creds);
  }
}

export function isRefusal(v: Principal | Refusal): v is Refusal {
  return 'status' in v;
}
