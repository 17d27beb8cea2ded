import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import bcrypt from 'bcryptjs';
import type { EventDetail, OutputsResponse, SilencesResponse } from '@falconer/contracts';
import { fixture, Receiver } from '@falconer/testing';
import { apiCall, basicAuth, startRouter, type Harness } from '../testing/router-harness';

const hash = (pw: string): string => bcrypt.hashSync(pw, 4);
const OPERATOR = basicAuth('alice', 'alice-pw');
const VIEWER = basicAuth('victor', 'victor-pw');
const SHELL = 'Terminal shell in container';

/** Silences through the real router: the API, the routing decision, the marks, the counters. */
describe('silences', () => {
  let hook: Receiver;
  let other: Receiver;
  let h: Harness;

  const api = (method: string, path: string, auth: string, body?: unknown) =>
    apiCall(h, method, path, auth, body);
  const ingest = async (name: string): Promise<string> => {
    const res = await fetch(h.url + '/', { method: 'POST', body: fixture(name) });
    expect(res.status).toBe(200);
    // the newest stored event of that fixture's rule
    const rule = (JSON.parse(fixture(name)) as { rule: string }).rule;
    const found = await api('GET', `/api/v1/events/search?rule=${encodeURIComponent(rule)}&limit=1`, VIEWER);
    return ((found.json['results'] as { uuid: string }[])[0] as { uuid: string }).uuid;
  };
  const detail = async (uuid: string): Promise<EventDetail> =>
    (await api('GET', `/api/v1/events/${uuid}`, VIEWER)).json as unknown as EventDetail;
  /** Every event delivered so far has reached both receivers (they get the same events but silenced ones). */
  const settle = async (hookN: number, otherN: number): Promise<void> => {
    await hook.waitFor(hookN);
    await other.waitFor(otherN);
  };

  beforeAll(async () => {
    hook = await Receiver.start();
    other = await Receiver.start();
    h = await startRouter(
      { WEBHOOK_ADDRESS: hook.url + '/falco' },
      `
auth:
  dashboard:
    users:
      - { username: alice, passwordhash: "${hash('alice-pw')}", role: operator }
      - { username: victor, passwordhash: "${hash('victor-pw')}", role: viewer }
outputs:
  - name: other
    type: webhook
    address: ${other.url}/other
`,
    );
  });
  afterAll(async () => {
    await h.close();
    await hook.close();
    await other.close();
  });

  it('says who is signed in, so the dashboard can hide what a viewer may not do', async () => {
    expect((await api('GET', '/api/v1/whoami', VIEWER)).json).toEqual({ username: 'victor', role: 'viewer' });
    expect((await api('GET', '/api/v1/whoami', OPERATOR)).json).toEqual({
      username: 'alice',
      role: 'operator',
    });
  });

  it('refuses a viewer with 403 JSON; a viewer may list', async () => {
    const r = await api('POST', '/api/v1/silences', VIEWER, {
      filter: { rules: { include: [SHELL] } },
      duration: '1h',
    });
    expect(r.status).toBe(403);
    expect(r.json['error']).toBe('forbidden');
    expect((await api('GET', '/api/v1/silences', VIEWER)).status).toBe(200);
    const d = await api('DELETE', '/api/v1/silences/whatever', VIEWER, {});
    expect(d.status).toBe(403);
  });

  it.each([
    [
      { filter: { rules: { include: [SHELL] } }, outputs: ['nope'], duration: '1h' },
      'outputs[0]',
      /unknown output "nope"/,
    ],
    [{ filter: { rulez: 1 }, duration: '1h' }, 'filter.rulez', /unknown condition/],
    [{ filter: { priorities: ['loud'] }, duration: '1h' }, 'filter.priorities[0]', /unknown priority/],
    [{ filter: {}, duration: '1h' }, 'filter', /at least one condition/],
    [{ filter: { rules: { include: [SHELL] } }, duration: 'soon' }, 'duration', /expected a duration/],
    [{ filter: { rules: { include: [SHELL] } }, endsAt: '2001-01-01T00:00:00Z' }, 'endsAt', /in the past/],
    [{ filter: { rules: { include: [SHELL] } }, endsAt: 'tomorrow' }, 'endsAt', /RFC 3339/],
    [{ filter: { rules: { include: [SHELL] } } }, 'duration', /exactly one of duration/],
  ])('refuses %j with 400 and the reason', async (body, field, message) => {
    const r = await api('POST', '/api/v1/silences', OPERATOR, body);
    expect(r.status).toBe(400);
    expect(r.json['error']).toBe('invalid_silence');
    expect(r.json['field']).toBe(field);
    expect(r.json['message']).toMatch(message);
  });

  it('records and shows a silenced event, sends it to no silenced output, and sends other rules', async () => {
    const created = await api('POST', '/api/v1/silences', OPERATOR, {
      filter: { rules: { include: [SHELL] }, hostnames: ['worker-1'] },
      duration: '1h',
      comment: 'noisy during the migration',
    });
    expect(created.status).toBe(201);
    const id = created.json['id'] as string;

    const muted = await ingest('shell-in-container');
    await ingest('read-sensitive-file');
    await settle(1, 1);
    // the shell event is stored and marked, with each output's state `silenced` and the silence's id
    const d = await detail(muted);
    expect(d.event.silenced).toEqual([id]);
    expect(d.deliveries.map((s) => [s.output, s.state, s.attempts, s.detail]).sort()).toEqual([
      ['other', 'silenced', 0, id],
      ['webhook', 'silenced', 0, id],
    ]);
    const search = await api('GET', `/api/v1/events/search?rule=${encodeURIComponent(SHELL)}`, VIEWER);
    expect((search.json['results'] as { silenced?: string[] }[])[0]?.silenced).toEqual([id]);
    // what reached the receivers: the other rule, without any mark
    await ingest('read-sensitive-file');
    await settle(2, 2);
    for (const r of [...hook.requests, ...other.requests]) {
      expect(r.text).toContain('Read sensitive file untrusted');
      expect(r.text).not.toContain('silenced');
    }
    const metrics = await (await fetch(h.url + '/metrics', { headers: { authorization: VIEWER } })).text();
    expect(metrics).toMatch(/falconer_silenced_events_total\{output="webhook"\} 1\b/);
    expect(metrics).toMatch(/falconer_silenced_events_total\{output="other"\} 1\b/);
    const outputs = (await api('GET', '/api/v1/outputs/status', VIEWER)).json as unknown as OutputsResponse;
    expect(outputs.outputs.map((o) => [o.name, o.counters.silenced])).toEqual([
      ['webhook', 1],
      ['other', 1],
    ]);
    const list = (await api('GET', '/api/v1/silences', VIEWER)).json as unknown as SilencesResponse;
    expect(list.silences[0]).toMatchObject({
      id,
      state: 'active',
      createdBy: 'alice',
      comment: 'noisy during the migration',
      outputs: [],
      matcher: 'rule is [Terminal shell in container] and hostname is [worker-1]',
    });
    expect(list.silences[0]?.endsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // expired early: the next event of the rule is sent again
    const expired = await api('DELETE', `/api/v1/silences/${id}`, OPERATOR, {});
    expect(expired.status).toBe(200);
    expect(expired.json).toMatchObject({ id, state: 'expired', expiredBy: 'alice' });
    const after = await ingest('shell-in-container');
    await settle(3, 3);
    expect(hook.requests.at(-1)?.text).toContain(SHELL);
    expect((await detail(after)).event.silenced).toBeUndefined();
    const listed = (await api('GET', '/api/v1/silences', VIEWER)).json as unknown as SilencesResponse;
    expect(listed.silences.find((s) => s.id === id)?.state).toBe('expired');
    expect((await api('DELETE', '/api/v1/silences/no-such-id', OPERATOR, {})).status).toBe(404);
  });

  it('mutes only the outputs it names', async () => {
    const created = await api('POST', '/api/v1/silences', OPERATOR, {
      filter: { fields: { 'k8s.ns.name': { in: ['shop'] } } },
      outputs: ['webhook'],
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const [h0, o0] = [hook.requests.length, other.requests.length];
    const uuid = await ingest('shell-in-container');
    await other.waitFor(o0 + 1);
    expect(other.requests.at(-1)?.text).toContain(SHELL);
    const d = await detail(uuid);
    expect(d.event.silenced).toEqual([created.json['id']]);
    expect(d.deliveries.find((s) => s.output === 'webhook')?.state).toBe('silenced');
    // the test event passes every silence, as it passes every filter
    expect((await fetch(h.url + '/test', { method: 'POST' })).status).toBe(200);
    await hook.waitFor(h0 + 1);
    expect(hook.requests.at(-1)?.text).toContain('"rule":"Test rule"');
  });
});
