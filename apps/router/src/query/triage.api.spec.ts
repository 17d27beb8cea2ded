import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import { io, type Socket } from 'socket.io-client';
import {
  BULK_TRIAGE_MAX_UUIDS,
  type BulkTriageResponse,
  type EventDetail,
  type TriageChange,
} from '@falconer/contracts';
import { Receiver } from '@falconer/testing';
import { apiCall, basicAuth, startRouter, type Harness } from '../testing/router-harness';
import { falcoJson } from './query.testing';

const hash = (pw: string): string => bcrypt.hashSync(pw, 4);
const ALICE = basicAuth('alice', 'alice-pw');
const VICTOR = basicAuth('victor', 'victor-pw');
const uuidOf = (i: number): string => `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('triage API and the event timeline', () => {
  let h: Harness;
  let hook: Receiver;
  let socket: Socket;
  const changes: TriageChange[] = [];

  const call = (method: string, path: string, auth: string, body?: unknown) =>
    apiCall(h, method, path, auth, body);
  const ids = async (qs: string): Promise<string[]> =>
    (
      (await call('GET', `/api/v1/events/search?${qs}`, VICTOR)).json as { results: { uuid: string }[] }
    ).results.map((e) => e.uuid);

  beforeAll(async () => {
    // the first request fails (HTTP 502), the second is delivered
    hook = await Receiver.start((_req, i) => ({ status: i === 0 ? 502 : 200 }));
    h = await startRouter(
      {},
      `
auth:
  dashboard:
    users:
      - { username: alice, passwordhash: "${hash('alice-pw')}", role: operator }
      - { username: victor, passwordhash: "${hash('victor-pw')}", role: viewer }
outputs:
  - name: critical-hook
    type: webhook
    address: ${hook.url}/hook
    filter: { minimumpriority: critical }
    delivery: { retries: 3, backoff: { base: 10ms, cap: 20ms } }
  - name: audit-hook
    type: webhook
    address: ${hook.url}/audit
    filter: { sources: [k8s_audit] }
`,
    );
    const events = [
      falcoJson(1, { priority: 'Critical', rule: 'Rule C' }),
      falcoJson(2, { priority: 'Warning', rule: 'Rule W' }),
      falcoJson(3, { priority: 'Warning', rule: 'Rule W' }),
      falcoJson(4, { priority: 'Notice', rule: 'Rule N' }),
    ];
    const res = await fetch(`${h.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `[${events.join(',')}]`,
    });
    expect(res.status).toBe(200);
    // a dashboard (viewer) listening live
    socket = io(h.url, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: { authorization: VICTOR },
      reconnection: false,
    });
    socket.on('triage', (c: TriageChange) => changes.push(c));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => socket.emit('subscribe', {}, () => resolve()));
      socket.on('connect_error', reject);
    });
  });
  afterAll(async () => {
    socket.close();
    await h.close();
    await hook.close();
  });

  it('lets an operator acknowledge one event: who and when, live to every dashboard, in search and detail', async () => {
    expect(await ids('triage=new')).toEqual([1, 2, 3, 4].map(uuidOf));
    const r = await call('PATCH', `/api/v1/events/${uuidOf(2)}/triage`, ALICE, { state: 'acknowledged' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      uuid: uuidOf(2),
      changed: true,
      triage: { state: 'acknowledged', by: 'alice' },
    });
    const at = (r.json['triage'] as { at: string }).at;
    expect(Number.isNaN(Date.parse(at))).toBe(false);
    await expect.poll(() => changes.length).toBe(1);
    expect(changes[0]).toEqual({ uuids: [uuidOf(2)], triage: { state: 'acknowledged', by: 'alice', at } });
    // the same state again changes nothing and says so
    const again = await call('PATCH', `/api/v1/events/${uuidOf(2)}/triage`, ALICE, { state: 'acknowledged' });
    expect(again.json).toMatchObject({ changed: false, triage: { state: 'acknowledged', by: 'alice', at } });

    expect(await ids('triage=acknowledged')).toEqual([uuidOf(2)]);
    expect(await ids('triage=new&priority=warning')).toEqual([uuidOf(3)]);
    const search = (await call('GET', '/api/v1/events/search?rule=Rule%20W', VICTOR)).json as {
      results: { uuid: string; triage?: unknown }[];
    };
    expect(search.results.map((e) => e.triage)).toEqual([
      { state: 'acknowledged', by: 'alice', at },
      undefined,
    ]);
    const d = (await call('GET', `/api/v1/events/${uuidOf(2)}`, VICTOR)).json as unknown as EventDetail;
    expect(d.triage).toEqual({ state: 'acknowledged', by: 'alice', at });
    expect(d.triageHistory).toEqual([{ state: 'acknowledged', by: 'alice', at }]);
    expect((await call('GET', '/api/v1/events/count?triage=acknowledged', VICTOR)).json).toEqual({
      statistics: { all: 1 },
    });
  });

  it('tells the dashboard who is signed in and with which role', async () => {
    expect((await call('GET', '/api/v1/whoami', ALICE)).json).toEqual({
      username: 'alice',
      role: 'operator',
    });
    expect((await call('GET', '/api/v1/whoami', VICTOR)).json).toEqual({
      username: 'victor',
      role: 'viewer',
    });
    expect((await fetch(`${h.url}/api/v1/whoami`)).status).toBe(401);
  });

  it('lets a viewer see triage but not change it (403 JSON), and refuses bad requests with 400 JSON', async () => {
    const viewer = await call('PATCH', `/api/v1/events/${uuidOf(1)}/triage`, VICTOR, { state: 'resolved' });
    expect(viewer.status).toBe(403);
    expect(viewer.json).toMatchObject({ error: 'forbidden' });
    const viewerBulk = await call('POST', '/api/v1/events/triage', VICTOR, { state: 'resolved', query: {} });
    expect(viewerBulk.status).toBe(403);

    const bad = async (path: string, body: unknown, field: string): Promise<void> => {
      const r = await call(path.startsWith('/api/v1/events/triage') ? 'POST' : 'PATCH', path, ALICE, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json).toMatchObject({
        error: expect.any(String) as string,
        message: expect.any(String) as string,
      });
      if (field !== '') expect(r.json['field']).toBe(field);
    };
    const one = `/api/v1/events/${uuidOf(1)}/triage`;
    await bad(one, { state: 'done' }, 'state');
    await bad(one, {}, 'state');
    await bad(one, { state: 'resolved', extra: 1 }, '');
    await bad(one, '[1,2]', '');
    await bad(one, '{"state":', '');
    await bad('/api/v1/events/triage', { state: 'resolved' }, '');
    await bad('/api/v1/events/triage', { state: 'resolved', query: {}, uuids: [uuidOf(1)] }, '');
    await bad('/api/v1/events/triage', { state: 'resolved', query: { priority: 'urgent' } }, 'priority');
    await bad('/api/v1/events/triage', { state: 'resolved', query: { triage: 'done' } }, 'triage');
    await bad(
      '/api/v1/events/triage',
      { state: 'resolved', uuids: Array.from({ length: BULK_TRIAGE_MAX_UUIDS + 1 }, (_, i) => `u${i}`) },
      'uuids',
    );
    await bad('/api/v1/events/triage', { state: 'resolved', uuids: [] }, 'uuids');
    expect((await call('GET', '/api/v1/events/search?triage=done', VICTOR)).status).toBe(400);
    const missing = await call('PATCH', '/api/v1/events/no-such-uuid/triage', ALICE, { state: 'resolved' });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: 'not_found' });
    // nothing changed
    expect(await ids('triage=resolved')).toEqual([]);
  });

  it('resolves the events of an explorer query, or listed ones, and counts what it did', async () => {
    const before = changes.length;
    const r = await call('POST', '/api/v1/events/triage', ALICE, {
      state: 'resolved',
      query: { rule: 'Rule W', since: '1d' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      changed: 2,
      unchanged: 0,
      notFound: 0,
      truncated: false,
    } satisfies BulkTriageResponse);
    await expect.poll(() => changes.length).toBe(before + 1);
    expect(new Set(changes.at(-1)?.uuids)).toEqual(new Set([uuidOf(2), uuidOf(3)]));
    expect(changes.at(-1)?.triage).toMatchObject({ state: 'resolved', by: 'alice' });
    expect(await ids('triage=resolved')).toEqual([uuidOf(2), uuidOf(3)]);
    const listed = await call('POST', '/api/v1/events/triage', ALICE, {
      state: 'resolved',
      uuids: [uuidOf(3), uuidOf(4), 'no-such-uuid', uuidOf(4)],
    });
    expect(listed.json).toEqual({ changed: 1, unchanged: 1, notFound: 1, truncated: false });
    const d = (await call('GET', `/api/v1/events/${uuidOf(2)}`, VICTOR)).json as unknown as EventDetail;
    expect(d.triageHistory.map((m) => m.state)).toEqual(['acknowledged', 'resolved']);
  });

  it('shows the routing decision and each delivery attempt in the event detail', async () => {
    const critical = uuidOf(1);
    let d: EventDetail | undefined;
    await expect
      .poll(
        async () => {
          d = (await call('GET', `/api/v1/events/${critical}`, VICTOR)).json as unknown as EventDetail;
          return d.deliveries.map((s) => s.state);
        },
        { timeout: 20_000 },
      )
      .toEqual(['delivered']);
    const detail = d as EventDetail;
    expect(detail.routing?.matched).toEqual(['critical-hook']);
    expect(detail.routing?.filtered).toEqual(['audit-hook']);
    expect(Number.isNaN(Date.parse(detail.routing?.receivedAt ?? ''))).toBe(false);
    expect(
      detail.attempts.map(({ output, attempt, state, reason }) => ({ output, attempt, state, reason })),
    ).toEqual([
      { output: 'critical-hook', attempt: 1, state: 'retrying', reason: 'server_error' },
      { output: 'critical-hook', attempt: 2, state: 'delivered', reason: 'ok' },
    ]);
    expect(detail.attempts[0]?.detail).toContain('502');
    const notice = (await call('GET', `/api/v1/events/${uuidOf(4)}`, VICTOR)).json as unknown as EventDetail;
    expect(notice.routing).toMatchObject({ matched: [], filtered: ['critical-hook', 'audit-hook'] });
    expect(notice.attempts).toEqual([]);
  });
});
