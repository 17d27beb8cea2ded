import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { parseLosslessJson, type ClientToServerEvents, type ServerToClientEvents } from '@falconer/contracts';
import { fixture, fixtureNames } from '@falconer/testing';
import { startRouter, type Harness } from '../testing/router-harness';

let h: Harness;

beforeAll(async () => {
  h = await startRouter({ CUSTOMTAGS: 'falconer' });
});
afterAll(async () => {
  await h.close();
});

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(h.url + path, { method: 'POST', body, headers });

async function inputs(status: 'accepted' | 'rejected'): Promise<number> {
  const text = await (await fetch(h.url + '/metrics')).text();
  const m = new RegExp(
    `falcosecurity_falcosidekick_inputs_total\\{source="requests",status="${status}"\\} (\\d+)`,
  ).exec(text);
  return Number(m?.[1] ?? NaN);
}

describe('ingest', () => {
  it('accepts every fixture as Falco sends it, and a subscribed socket receives each one', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(h.url, {
      path: '/socket.io',
      transports: ['websocket'],
    });
    const received: string[] = [];
    socket.on('event', (json) => received.push(json));
    const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('subscribe', {}, resolve));
    expect(ack.ok).toBe(true);
    const before = await inputs('accepted');

    for (const name of fixtureNames()) {
      const res = await post('/', fixture(name), {
        'content-type': 'application/json',
        'user-agent': 'falcosecurity/falco',
      });
      expect(res.status, name).toBe(200);
      expect(await res.text()).toBe('');
    }
    // Content-Type is not required (program_output with curl -d sends form-urlencoded)
    expect(
      (
        await post('/', fixture('shell-in-container'), {
          'content-type': 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(200);
    expect(
      (await fetch(h.url + '/', { method: 'POST', body: Buffer.from(fixture('internal-drop')) })).status,
    ).toBe(200);

    const expected = fixtureNames().length + 2;
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(expected);
    expect(await inputs('accepted')).toBe(before + expected);
    const first = parseLosslessJson(received[0] ?? '') as Record<string, unknown>;
    expect(first['tags']).toContain('falconer');
    const evtTimes = received.filter((j) => j.includes('"evt.time":1507591916746609046'));
    expect(evtTimes).toHaveLength(1);
    socket.close();
  });

  it('filters live subscriptions', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(h.url, {
      path: '/socket.io',
      transports: ['websocket'],
    });
    const received: string[] = [];
    socket.on('event', (json) => received.push(json));
    await new Promise((resolve) => socket.emit('subscribe', { priority: ['Error'] }, resolve));
    const bad = await new Promise<{ ok: boolean; error?: string }>((resolve) =>
      socket.emit('subscribe', { since: 'banana' }, resolve),
    );
    expect(bad.ok).toBe(false);
    await post('/', fixture('shell-in-container'));
    await post('/', fixture('write-below-binary-dir'));
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toContain('Write below binary dir');
    socket.close();
  });

  it('refuses bad input with a JSON reason and counts it', async () => {
    const before = await inputs('rejected');
    const res = await post(
      '/',
      JSON.stringify({ ...JSON.parse(fixture('shell-in-container')), priority: 'urgent' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ error: 'invalid_event', field: 'priority' });

    const notJson = await post('/', 'hello');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'invalid_json' });

    const big = await post('/', Buffer.alloc(2 * 1024 * 1024, 0x61));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large' });
    expect(await inputs('rejected')).toBe(before + 3);
  });

  it('answers 405 with Allow on other methods of /, 404 JSON on unknown paths', async () => {
    const res = await fetch(h.url + '/');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
    const nf = await fetch(h.url + '/nope');
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ error: 'not_found' });
    const api = await post('/api/v1/nope', fixture('shell-in-container'));
    expect(api.status).toBe(404);
  });

  it('treats a POST to any unrouted path as ingest (http_output.url: …/falco)', async () => {
    expect((await post('/falco', fixture('k8s-audit-exec'))).status).toBe(200);
  });

  it("accepts falcosidekick-ui's envelope on / and /api/v1/events/add", async () => {
    const envelope = `{"event":${fixture('k8s-audit-exec')},"outputs":["Slack"]}`;
    expect((await post('/', envelope)).status).toBe(200);
    expect((await post('/api/v1/events/add', envelope)).status).toBe(200);
  });

  it('takes batches as a JSON array or NDJSON, all or nothing', async () => {
    const events = fixtureNames().map((n) => fixture(n).trim());
    const arr = await post('/api/v1/events', `[${events.join(',')}]`, { 'content-type': 'application/json' });
    expect(arr.status).toBe(200);
    expect(await arr.json()).toEqual({ accepted: events.length, received: events.length });
    const nd = await post('/api/v1/events', events.join('\n') + '\n', {
      'content-type': 'application/x-ndjson',
    });
    expect(await nd.json()).toEqual({ accepted: events.length, received: events.length });

    const before = await inputs('accepted');
    const bad = await post('/api/v1/events', `[${events[0]},{"rule":"x"}]`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: '[1].priority' });
    expect(await inputs('accepted')).toBe(before);
  });

  it('serves /ping, /healthz and /test', async () => {
    const ping = await fetch(h.url + '/ping');
    expect(await ping.text()).toBe('pong\n');
    expect(await (await fetch(h.url + '/healthz')).json()).toEqual({ status: 'ok' });
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(h.url, {
      path: '/socket.io',
      transports: ['websocket'],
    });
    const received: string[] = [];
    socket.on('event', (json) => received.push(json));
    await new Promise((resolve) => socket.emit('subscribe', { rule: ['Test rule'] }, resolve));
    expect((await post('/test', '')).status).toBe(200);
    await expect.poll(() => received.length).toBe(1);
    expect(parseLosslessJson(received[0] ?? '')).toMatchObject({
      priority: 'Debug',
      source: 'debug',
      rule: 'Test rule',
    });
    socket.close();
  });

  it('exports falcosidekick metric names and process metrics', async () => {
    const text = await (await fetch(h.url + '/metrics')).text();
    expect(text).toContain(
      'falcosecurity_falcosidekick_falco_events_total{rule="Write below binary dir",priority="5",priority_raw="error"',
    );
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

describe('ingest authentication (opt-in)', () => {
  let secured: Harness;
  beforeAll(async () => {
    secured = await startRouter({ AUTH_INGEST_TOKENS: 'tok-1,tok-2', AUTH_INGEST_HMACSECRET: 'shh' });
  });
  afterAll(async () => {
    await secured.close();
  });

  const send = (
    headers: Record<string, string>,
    path = '/',
    body = fixture('shell-in-container'),
  ): Promise<Response> => fetch(secured.url + path, { method: 'POST', body, headers });

  it('refuses unauthenticated events with 401 and a JSON reason, on every ingest path', async () => {
    for (const path of ['/', '/falco', '/api/v1/events', '/api/v1/events/add', '/test']) {
      const res = await send({}, path);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
    expect((await send({ authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('accepts a configured bearer token', async () => {
    expect((await send({ authorization: 'Bearer tok-2' })).status).toBe(200);
  });

  it('accepts an HMAC-signed body and refuses a forged or stale one', async () => {
    const { createHmac } = await import('node:crypto');
    const body = fixture('k8s-audit-exec');
    const sign = (t: number, b: string): string =>
      `t=${t},v1=${createHmac('sha256', 'shh').update(`${t}.${b}`).digest('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    expect((await send({ 'x-falconer-signature': sign(now, body) }, '/', body)).status).toBe(200);
    expect((await send({ 'x-falconer-signature': sign(now, body + ' ') }, '/', body)).status).toBe(401);
    expect((await send({ 'x-falconer-signature': sign(now - 600, body) }, '/', body)).status).toBe(401);
  });
});

describe('live stats', () => {
  it('pushes stats about once a second with rates per priority and output health', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(h.url, {
      path: '/socket.io',
      transports: ['websocket'],
    });
    const stats: { rates: Record<string, number>; total: number; outputs: unknown[] }[] = [];
    socket.on('stats', (s) => stats.push(s));
    await new Promise((resolve) => socket.emit('subscribe', {}, resolve));
    for (let i = 0; i < 5; i++)
      await fetch(h.url + '/', { method: 'POST', body: fixture('write-below-binary-dir') });
    await expect.poll(() => stats.some((s) => (s.rates['Error'] ?? 0) > 0), { timeout: 5000 }).toBe(true);
    const last = stats.at(-1);
    expect(last?.total).toBeGreaterThanOrEqual(5);
    expect(Array.isArray(last?.outputs)).toBe(true);
    socket.close();
  });
});
