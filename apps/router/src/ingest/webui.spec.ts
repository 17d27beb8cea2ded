import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { PRIORITIES, type ClientToServerEvents, type ServerToClientEvents } from '@falconer/contracts';
import { Receiver } from '@falconer/testing';
import type { RouterApp } from '../app';
import { falcoJson } from '../query/query.testing';
import { stripFalcoPrefix } from './webui';
import { NO_UI, startRouter } from '../testing/router-harness';

describe("falcosidekick's webui output posting to Falconer", () => {
  let router: RouterApp;
  let base: string;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await Receiver.start();
    ({ router, url: base } = await startRouter({ ...NO_UI, WEBHOOK_ADDRESS: `${receiver.url}/hook` }));
  });
  afterAll(async () => {
    await router.close();
    await receiver.close();
  });

  const post = (path: string, body: string): Promise<Response> =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('records the body on /api/v1/ and /api/v1/events/add (empty output_fields too), live, not routed', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(base, {
      path: '/socket.io',
      transports: ['websocket'],
    });
    const live: string[] = [];
    socket.on('event', (json) => live.push((JSON.parse(json) as { uuid: string }).uuid));
    await new Promise((resolve) => socket.emit('subscribe', {}, resolve));
    const uuid = (i: number): string => `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const withFields = JSON.parse(falcoJson(1, { uuid: uuid(1) })) as Record<string, unknown>;
    withFields['output'] = '10:16:40.001200300: Informational a shell ran (user=root)';
    const bodies: [string, string][] = [
      ['/api/v1/', JSON.stringify({ event: withFields, outputs: ['Slack', 'WebUI'] })],
      [
        '/api/v1/events/add',
        JSON.stringify({
          event: { ...withFields, uuid: uuid(2), output_fields: {} },
          outputs: ['Slack', 'WebUI'],
        }),
      ],
      [
        '/api/v1/',
        JSON.stringify({ event: { ...withFields, uuid: uuid(3), output_fields: null }, outputs: [] }),
      ],
    ];
    for (const [path, body] of bodies) {
      const res = await post(path, body);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe('"{}"\n');
    }
    // an event posted to / after them is routed; the webhook's queue is in order, so once it has arrived
    // anything routed before it would have too
    expect((await post('/', falcoJson(9, { uuid: uuid(9) }))).status).toBe(200);
    await receiver.waitFor(1);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.text).toContain(uuid(9));
    for (const i of [1, 2, 3]) expect(receiver.requests[0]?.text).not.toContain(uuid(i));
    await expect.poll(() => live.length, { timeout: 5000 }).toBe(4);
    expect(live).toEqual([uuid(1), uuid(2), uuid(3), uuid(9)]);
    socket.close();

    const search = (await (await fetch(`${base}/api/v1/events/search?rule=Rule%20A`)).json()) as {
      results: { uuid: string; output: string; output_fields: object }[];
    };
    const byUuid = new Map(search.results.map((e) => [e.uuid, e]));
    expect(byUuid.get(uuid(1))?.output).toBe('a shell ran (user=root)');
    expect(byUuid.get(uuid(2))?.output_fields).toEqual({});
    expect(byUuid.get(uuid(3))?.output_fields).toEqual({});
    // falcosidekick-ui lists the outputs the last body named; Falconer lists its own first
    expect(await (await fetch(`${base}/api/v1/outputs`)).json()).toEqual(['webhook']);
  });

  it('lists the outputs named by the last body after its own', async () => {
    const e = JSON.parse(falcoJson(4)) as Record<string, unknown>;
    await post('/api/v1/', JSON.stringify({ event: e, outputs: ['Slack', 'Elasticsearch'] }));
    expect(await (await fetch(`${base}/api/v1/outputs`)).json()).toEqual([
      'webhook',
      'Slack',
      'Elasticsearch',
    ]);
  });

  it('refuses a body that is not an event with a 400 and a JSON reason', async () => {
    const res = await post('/api/v1/', '{"event":{"rule":"r"},"outputs":[]}');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_event', field: 'event.priority' });
  });
});

describe('stripFalcoPrefix', () => {
  it("drops Falco's time and priority, whatever the priority, and nothing else", () => {
    for (const p of [...PRIORITIES, 'Info']) {
      expect(stripFalcoPrefix(`23:59:59.123456789: ${p} File opened (fd=3)`), p).toBe('File opened (fd=3)');
    }
    expect(stripFalcoPrefix('23:59:59.123456789: warning x')).toBe('x');
    expect(stripFalcoPrefix('File opened 23:59:59.123456789: Warning x')).toBe(
      'File opened 23:59:59.123456789: Warning x',
    );
    expect(stripFalcoPrefix('23:59:59.123: Warning x')).toBe('23:59:59.123: Warning x');
    expect(stripFalcoPrefix('')).toBe('');
  });
});
