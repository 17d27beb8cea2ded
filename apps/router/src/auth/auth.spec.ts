import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '@falconer/config';
import { fixture } from '@falconer/testing';
import { signBody } from '@falconer/util';
import { basicAuth, startRouter, type Harness } from '../testing/router-harness';
import { LiveHub } from '../live/live.hub';
import { DashboardAuth } from './dashboard-auth';

// cost 4: the format of production hashes, fast enough for a test
const hash = (pw: string): string => bcrypt.hashSync(pw, 4);
const USERS = `
auth:
  dashboard:
    users:
      - { username: alice, passwordhash: "${hash('alice-pw')}", role: operator }
      - { username: victor, passwordhash: "${hash('victor-pw')}", role: viewer }
`;

/** A request with any headers (fetch will not send Origin or Sec-Fetch-Site as a browser does). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function connect(url: string, extraHeaders: Record<string, string>): Promise<Socket | Error> {
  return new Promise((resolve) => {
    const s = io(url, { path: '/socket.io', transports: ['websocket'], extraHeaders, reconnection: false });
    s.on('connect', () => resolve(s));
    s.on('connect_error', (err) => {
      s.close();
      resolve(err);
    });
  });
}

describe('with dashboard users configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRouter({ AUTH_INGEST_TOKENS: 'ingest-token', LIVE_MAXCONNECTIONS: '3' }, USERS);
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses every dashboard read, /metrics and /ui without credentials (finding 1)', async () => {
    for (const path of [
      '/api/v1/events/search',
      '/api/v1/events/export',
      '/api/v1/configuration',
      '/api/v1/outputs',
      '/api/v1/deadletters',
      '/metrics',
    ]) {
      const res = await fetch(h.url + path);
      expect(res.status, path).toBe(401);
      expect(await res.json(), path).toMatchObject({ error: 'unauthorized' });
    }
    const page = await fetch(h.url + '/ui', { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/ui/login');
    const replay = await fetch(h.url + '/api/v1/deadletters/replay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(replay.status).toBe(401);
    // health stays open for probes; ingest keeps its own auth
    expect((await fetch(h.url + '/healthz')).status).toBe(200);
    const ingest = await fetch(h.url + '/', {
      method: 'POST',
      headers: { authorization: 'Bearer ingest-token' },
      body: fixture('shell-in-container'),
    });
    expect(ingest.status).toBe(200);
  });

  it('takes HTTP Basic for the same users, and POST /api/v1/auth answers 200 or 401', async () => {
    const ok = await fetch(h.url + '/api/v1/events/search', {
      headers: { authorization: basicAuth('victor', 'victor-pw') },
    });
    expect(ok.status).toBe(200);
    const wrong = await fetch(h.url + '/api/v1/events/search', {
      headers: { authorization: basicAuth('victor', 'nope') },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    const auth = await fetch(h.url + '/api/v1/auth', {
      method: 'POST',
      headers: { authorization: basicAuth('alice', 'alice-pw') },
    });
    expect(auth.status).toBe(200);
    expect(await auth.json()).toEqual({ username: 'alice', role: 'operator' });
    expect(
      (
        await fetch(h.url + '/api/v1/auth', {
          method: 'POST',
          headers: { authorization: basicAuth('anonymous', 'anonymous') },
        })
      ).status,
    ).toBe(401);
    expect(
      (await fetch(h.url + '/metrics', { headers: { authorization: basicAuth('victor', 'victor-pw') } }))
        .status,
    ).toBe(200);
  });

  it('signs in with a form, keeps an HttpOnly SameSite=Strict session, and signs out', async () => {
    const page = await (await fetch(h.url + '/ui/login')).text();
    expect(page).toContain('Username');
    expect(page).toContain('Password');
    expect(page).toContain('Sign in');
    const login = await fetch(h.url + '/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=alice&password=alice-pw',
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/ui/');
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^falconer_session=[\w-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0] ?? '';
    expect((await fetch(h.url + '/api/v1/events/search', { headers: { cookie } })).status).toBe(200);
    const bad = await fetch(h.url + '/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'wrong' }),
    });
    expect(bad.status).toBe(401);
    const out = await fetch(h.url + '/api/v1/logout', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(h.url + '/api/v1/events/search', { headers: { cookie } })).status).toBe(401);
  });

  it('lets an operator replay dead letters, not a viewer', async () => {
    const replay = (user: string, pw: string): Promise<Response> =>
      fetch(h.url + '/api/v1/deadletters/replay', {
        method: 'POST',
        headers: { authorization: basicAuth(user, pw), 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await replay('victor', 'victor-pw')).status).toBe(403);
    expect((await replay('alice', 'alice-pw')).status).toBe(200);
  });

  it('refuses state changes from another origin or without JSON, and cross-site sign-in (finding 3)', async () => {
    const headers = { authorization: basicAuth('alice', 'alice-pw'), 'content-type': 'application/json' };
    const evil = await raw(h.url + '/api/v1/deadletters/replay', 'POST', {
      ...headers,
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toMatchObject({ error: 'forbidden' });
    const plain = await raw(h.url + '/api/v1/deadletters/replay', 'POST', {
      ...headers,
      'content-type': 'text/plain',
    });
    expect(plain.status).toBe(415);
    const same = await raw(
      h.url + '/api/v1/deadletters/replay',
      'POST',
      {
        ...headers,
        origin: h.url,
        'sec-fetch-site': 'same-origin',
      },
      '{}',
    );
    expect(same.status).toBe(200);
    const login = await raw(
      h.url + '/api/v1/login',
      'POST',
      { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      'username=alice&password=alice-pw',
    );
    expect(login.status).toBe(403);
  });

  it('opens socket.io only to dashboard users from the same origin, up to the connection cap (findings 1, 2, 5)', async () => {
    const anonymous = await connect(h.url, {});
    expect(anonymous).toBeInstanceOf(Error);
    const evil = await connect(h.url, {
      authorization: basicAuth('victor', 'victor-pw'),
      origin: 'https://evil.example',
    });
    expect(evil).toBeInstanceOf(Error);
    const sockets: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await connect(h.url, { authorization: basicAuth('victor', 'victor-pw'), origin: h.url });
      expect(s).not.toBeInstanceOf(Error);
      sockets.push(s as Socket);
    }
    expect(await connect(h.url, { authorization: basicAuth('victor', 'victor-pw') })).toBeInstanceOf(Error);
    // the handshake over HTTP shows the reason as JSON
    const refused = await raw(h.url + '/socket.io/?EIO=4&transport=polling', 'GET', {
      authorization: basicAuth('victor', 'victor-pw'),
    });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({
      message: expect.stringContaining('live.maxconnections') as string,
    });
    for (const s of sockets) s.close();
  });

  it('refuses an unsigned remediation report from anyone but an operator (finding 10)', async () => {
    const body = JSON.stringify({
      uuid: 'x',
      rule: 'r',
      action: 'delete_pod',
      outcome: 'acted',
      at: '2026-11-30T00:00:00Z',
    });
    const post = (headers: Record<string, string>): Promise<Response> =>
      fetch(h.url + '/api/v1/remediations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    expect((await post({ authorization: 'Bearer ingest-token' })).status).toBe(401);
    expect((await post({ authorization: basicAuth('victor', 'victor-pw') })).status).toBe(403);
    // an operator passes the door; the unknown uuid is then a 404
    expect((await post({ authorization: basicAuth('alice', 'alice-pw') })).status).toBe(404);
  });
});

describe('with no dashboard users', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRouter({});
  });
  afterAll(async () => {
    await h.close();
  });
  const inject = (url: string, method: 'GET' | 'POST' = 'GET', payload?: string) =>
    h.router.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url, remoteAddress: '10.20.30.40', ...(payload !== undefined ? { payload } : {}) });

  it('answers loopback clients, and others 403 with how to configure users', async () => {
    expect((await fetch(h.url + '/api/v1/events/search')).status).toBe(200);
    const far = await inject('/api/v1/events/search');
    expect(far.statusCode).toBe(403);
    expect(far.json()).toMatchObject({ error: 'forbidden' });
    expect(far.json<{ message: string }>().message).toContain('auth.dashboard.users');
    expect((await inject('/metrics')).statusCode).toBe(403);
    expect((await inject('/ui')).statusCode).toBe(403);
    // ingest still listens for Falco in another pod; health for the kubelet
    expect((await inject('/api/v1/events/add', 'POST', fixture('shell-in-container'))).statusCode).toBe(200);
    expect((await inject('/healthz')).statusCode).toBe(200);
  });

  it('answers POST /api/v1/auth with 200 for anonymous:anonymous only', async () => {
    const auth = (user: string, pw: string) =>
      h.router.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'POST',
          url: '/api/v1/auth',
          remoteAddress: '10.20.30.40',
          headers: { authorization: basicAuth(user, pw) },
        });
    expect((await auth('anonymous', 'anonymous')).statusCode).toBe(200);
    expect((await auth('admin', 'admin')).statusCode).toBe(401);
  });

  it('refuses ingest a browser sent from another site, unless configured (finding 3)', async () => {
    const cross = {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
      'content-type': 'text/plain',
    };
    const res = await raw(h.url + '/', 'POST', cross, fixture('shell-in-container'));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'forbidden' });
    expect((await raw(h.url + '/api/v1/events', 'POST', cross, fixture('shell-in-container'))).status).toBe(
      403,
    );
    expect((await raw(h.url + '/', 'POST', {}, fixture('shell-in-container'))).status).toBe(200);
    const allowed = await startRouter({ AUTH_INGEST_ALLOWBROWSERS: 'true' });
    try {
      expect((await raw(allowed.url + '/', 'POST', cross, fixture('shell-in-container'))).status).toBe(200);
    } finally {
      await allowed.close();
    }
  });

  it('opens everything with ui.open: true', async () => {
    const open = await startRouter({ UI_OPEN: 'true' });
    try {
      const res = await open.router.app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url: '/api/v1/events/search', remoteAddress: '10.20.30.40' });
      expect(res.statusCode).toBe(200);
      expect(open.router.describeListen()).toContain('OPEN');
    } finally {
      await open.close();
    }
  });

  it('says in the start line where it listens and who may use the dashboard', () => {
    expect(h.router.describeListen()).toMatch(/^listening on 127\.0\.0\.1:\d+; .*loopback clients only/);
  });
});

describe('signed ingest', () => {
  it('refuses a signed request sent a second time (finding 14)', async () => {
    const h = await startRouter({ AUTH_INGEST_HMACSECRET: 's3cret' });
    try {
      const body = fixture('shell-in-container');
      const sig = signBody('s3cret', body);
      const send = (): Promise<Response> =>
        fetch(h.url + '/', { method: 'POST', headers: { 'x-falconer-signature': sig }, body });
      expect((await send()).status).toBe(200);
      const again = await send();
      expect(again.status).toBe(401);
      expect(await again.json()).toMatchObject({ message: expect.stringContaining('replay') as string });
    } finally {
      await h.close();
    }
  });
});

describe('DashboardAuth sessions', () => {
  it('expire after auth.dashboard.sessionttl', async () => {
    let now = 1_000_000;
    const auth = new DashboardAuth(
      {
        ui: { enabled: true, basepath: '/ui', open: false, allowedorigins: [] },
        auth: {
          ingest: { tokens: [], hmacsecret: '', allowbrowsers: false },
          dashboard: {
            users: [{ username: 'a', passwordhash: hash('pw'), role: 'viewer' }],
            sessionttlMs: 60_000,
          },
        },
      },
      () => now,
    );
    const { token } = auth.startSession({ username: 'a', role: 'viewer' });
    const headers = { cookie: `falconer_session=${token}` };
    expect(await auth.authenticate(headers, '10.0.0.1')).toMatchObject({ username: 'a', via: 'session' });
    now += 60_001;
    expect(await auth.authenticate(headers, '10.0.0.1')).toMatchObject({ status: 401 });
  });
});

describe('configuring users', () => {
  it('takes the hash `npm run hash-password` prints, and refuses a list it cannot use', () => {
    const printed = execFileSync(
      process.execPath,
      [join(import.meta.dirname, '../../../../tools/hash-password.mjs')],
      {
        input: 'correct horse\n',
        encoding: 'utf8',
      },
    ).trim();
    expect(bcrypt.compareSync('correct horse', printed)).toBe(true);
    const { config } = loadConfig({
      yaml: `auth:\n  users:\n    - { username: ops, passwordhash: "${printed}", role: operator }\n`,
    });
    expect(config.auth.dashboard.users).toEqual([
      { username: 'ops', passwordhash: printed, role: 'operator' },
    ]);
    expect(() =>
      loadConfig({
        yaml: 'auth:\n  dashboard:\n    users:\n      - { username: a, passwordhash: plain, role: admin }\n',
      }),
    ).toThrow(/passwordhash: expected a bcrypt hash.*role: expected viewer or operator/);
  });
});

describe('metrics.auth and live caps', () => {
  it('protects /metrics with a bearer token, or leaves it open when told to', async () => {
    const far = (hh: Harness, headers: Record<string, string> = {}) =>
      hh.router.app
        .getHttpAdapter()
        .getInstance()
        .inject({ method: 'GET', url: '/metrics', remoteAddress: '10.20.30.40', headers });
    const token = await startRouter({ METRICS_AUTH: 'token', METRICS_TOKEN: 'scrape-me' });
    const open = await startRouter({ METRICS_AUTH: 'none' });
    try {
      expect((await fetch(token.url + '/metrics')).status).toBe(401);
      expect((await far(token, { authorization: 'Bearer scrape-me' })).statusCode).toBe(200);
      expect((await far(token, { authorization: 'Bearer nope' })).statusCode).toBe(401);
      expect((await far(open)).statusCode).toBe(200);
      // the API stays loopback-only whatever metrics.auth says
      expect(
        (
          await open.router.app
            .getHttpAdapter()
            .getInstance()
            .inject({ method: 'GET', url: '/api/v1/outputs', remoteAddress: '10.20.30.40' })
        ).statusCode,
      ).toBe(403);
    } finally {
      await token.close();
      await open.close();
    }
  });

  it('refuses a live subscription past live.maxsubscriptions', async () => {
    const h = await startRouter({ LIVE_MAXSUBSCRIPTIONS: '1' });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 2; i++) sockets.push((await connect(h.url, {})) as Socket);
      const ack = (s: Socket) =>
        new Promise<{ ok: boolean; error?: string }>((resolve) => s.emit('subscribe', {}, resolve));
      expect(await ack(sockets[0] as Socket)).toEqual({ ok: true });
      // changing one's own filter is not a new subscription
      expect(await ack(sockets[0] as Socket)).toEqual({ ok: true });
      const second = await ack(sockets[1] as Socket);
      expect(second.ok).toBe(false);
      expect(second.error).toContain('live.maxsubscriptions');
    } finally {
      for (const s of sockets) s.close();
      await h.close();
    }
  });
});

describe('a stalled live client (finding 5)', () => {
  it('is disconnected once it stays over live.bufferbytes; a reading client gets every event', async () => {
    const h = await startRouter({ LIVE_BUFFERBYTES: '16384' });
    try {
      const reader = (await connect(h.url, {})) as Socket;
      const stalled = (await connect(h.url, {})) as Socket;
      const got: string[] = [];
      reader.on('event', (e: string) => got.push(e));
      for (const s of [reader, stalled]) await new Promise((resolve) => s.emit('subscribe', {}, resolve));
      const hub = h.router.app.get(LiveHub);
      expect(hub.size).toBe(2);
      const transport = stalled.io.engine.transport as unknown as {
        ws?: { _socket?: { pause(): void; destroy(): void } };
      };
      transport.ws?._socket?.pause();
      const body = fixture('shell-in-container').replace('"output":"', `"output":"${'x'.repeat(20_000)}`);
      for (let i = 0; i < 300; i++)
        expect((await fetch(h.url + '/', { method: 'POST', body })).status).toBe(200);
      await expect.poll(() => got.length, { timeout: 10_000 }).toBe(300);
      expect(hub.size).toBe(1);
      reader.close();
      // it never reads the server's close frame: cut it, or closing the server waits for it
      transport.ws?._socket?.destroy();
      stalled.close();
    } finally {
      await h.close();
    }
  });
});
