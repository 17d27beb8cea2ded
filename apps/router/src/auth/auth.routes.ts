import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ApiError } from '@falconer/contracts';
import { SESSION_COOKIE, type Refusal } from './dashboard-auth';
import { LOGIN_PATH, LOGOUT_PATH, type RequestGate } from './request-gate';

const FORM = 'application/x-www-form-urlencoded';

function sendJson(reply: FastifyReply, status: number, body: ApiError | object): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function refuse(reply: FastifyReply, r: Refusal): FastifyReply {
  return sendJson(reply.headers(r.headers ?? {}), r.status, r.body);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The sign-in page: a plain form (no script, so the dashboard's CSP holds), posted to LOGIN_PATH. */
function loginPage(basepath: string, failed: boolean): string {
  const base = escapeHtml(basepath);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in · Falconer</title>
<style>
body{font:15px system-ui,sans-serif;background:#0f1720;color:#e6edf3;display:grid;place-items:center;min-height:100vh;margin:0}
form{background:#17212b;padding:2rem;border-radius:8px;display:grid;gap:.75rem;min-width:18rem}
label{display:grid;gap:.25rem}input{font:inherit;padding:.5rem;border-radius:4px;border:1px solid #3b4a5a;background:#0f1720;color:inherit}
button{font:inherit;padding:.5rem;border:0;border-radius:4px;background:#2f81f7;color:#fff;cursor:pointer}
p[role=alert]{color:#ff7b72;margin:0}
</style></head>
<body><main><form method="post" action="${LOGIN_PATH}">
<h1>Falconer</h1>
${failed ? '<p role="alert">The username or password is not valid.</p>' : ''}
<label>Username <input name="username" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<input type="hidden" name="next" value="${base}/">
<button type="submit">Sign in</button>
</form></main></body></html>
`;
}

function field(body: unknown, name: string): string {
  if (body === null || typeof body !== 'object') return '';
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

/**
 * The gate as a Fastify `onRequest` hook on the root instance (so it covers every route, including
 * those registered later by feature modules), and the sign-in routes: the page, `POST /api/v1/login`
 * (form or JSON), `POST /api/v1/logout`, and falcosidekick-ui's `POST /api/v1/auth`.
 */
export function registerDashboardAuth(
  fastify: FastifyInstance,
  gate: RequestGate,
  opts: { basepath: string; secureCookie: boolean; log: Logger },
): void {
  const { basepath, log } = opts;
  const loginUrl = `${basepath}/login`;

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    // `/*` is ingest's catch-all that answers 404 to POSTs under reserved prefixes (ingest.routes.ts)
    const route = request.routeOptions.url;
    const refused = await gate.check(request.raw, path, route !== undefined && route !== '/*');
    if (refused === undefined) return;
    // a person opening the dashboard without a session is shown the sign-in page
    const html = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (refused.status === 401 && html && gate.door('GET', path, request.headers) === 'page')
      return reply.redirect(loginUrl, 303);
    log.debug({ path, status: refused.status, reason: refused.body.message }, 'request refused');
    return refuse(reply, refused);
  });

  const cookie = (value: string, maxAgeSeconds: number): string =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}` +
    (opts.secureCookie ? '; Secure' : '');

  void fastify.register((instance, _o, done) => {
    // the sign-in form; Nest's adapter may have registered a form parser at the root already
    if (!instance.hasContentTypeParser(FORM))
      instance.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 4096 }, (_req, body, next) =>
        next(null, Object.fromEntries(new URLSearchParams(String(body)))),
      );
    instance.get(loginUrl, (request, reply) =>
      reply
        .headers({
          'content-security-policy':
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
          'x-frame-options': 'DENY',
          'cache-control': 'no-store',
        })
        .type('text/html; charset=utf-8')
        .send(loginPage(basepath, 'failed' in (request.query as object))),
    );

    instance.post(LOGIN_PATH, async (request, reply) => {
      const form = (request.headers['content-type'] ?? '').startsWith(FORM);
      // login CSRF: a page elsewhere must not sign a browser in as someone else
      if (!gate.sameOrigin(request.raw))
        return sendJson(reply, 403, { error: 'forbidden', message: 'cross-origin sign-in refused' });
      const user = await gate.auth.verify(field(request.body, 'username'), field(request.body, 'password'));
      if (user === undefined) {
        log.warn(
          { username: field(request.body, 'username').slice(0, 100), ip: request.ip },
          'sign-in failed',
        );
        if (form) return reply.redirect(`${loginUrl}?failed`, 303);
        return sendJson(reply, 401, {
          error: 'unauthorized',
          message: 'the username or password is not valid',
        });
      }
      const { token } = gate.auth.startSession(user);
      log.info({ username: user.username, role: user.role }, 'signed in');
      void reply.header('set-cookie', cookie(token, Math.floor(gate.auth.ttlMs / 1000)));
      if (form) return reply.redirect(`${basepath}/`, 303);
      return sendJson(reply, 200, { username: user.username, role: user.role });
    });

    instance.post(LOGOUT_PATH, (request, reply) => {
      if (!gate.sameOrigin(request.raw))
        return sendJson(reply, 403, { error: 'forbidden', message: 'cross-origin sign-out refused' });
      gate.auth.endSession(request.headers);
      void reply.header('set-cookie', cookie('', 0));
      if ((request.headers['content-type'] ?? '').startsWith(FORM)) return reply.redirect(loginUrl, 303);
      return sendJson(reply, 200, { status: 'signed out' });
    });

    instance.post('/api/v1/auth', async (request, reply) => {
      const who = await gate.auth.checkCredentials(request.headers);
      if (who === undefined)
        return sendJson(reply.header('www-authenticate', 'Basic realm="falconer"'), 401, {
          error: 'unauthorized',
          message: 'the username or password is not valid',
        });
      return sendJson(reply, 200, { username: who.username, role: who.role });
    });
    done();
  });
}
