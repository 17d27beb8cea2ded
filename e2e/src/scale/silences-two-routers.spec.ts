import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClientToServerEvents,
  EventDetail,
  ServerToClientEvents,
  SilencesResponse,
} from '@falconer/contracts';
import { Receiver } from '@falconer/testing';
import { falcoEvent, uuidsIn } from '../delivery/events';
import { RedisServer } from '../support/redis-server';
import { launchRouter, type ManagedRouter } from '../support/router-control';

/** An event of another rule than falcoEvent's "Terminal shell in container". */
function otherRule(): { uuid: string; body: string } {
  const e = falcoEvent(0);
  return {
    uuid: e.uuid,
    body: e.body.replace('"rule":"Terminal shell in container"', '"rule":"Write below binary dir"'),
  };
}

// Two built routers on one (private) Redis: a silence created on A applies to the events B ingests, and
// its early expiry on B applies to A's. Neither waits for a timer: listing silences reads Redis.
describe('silences shared by two routers on one Redis (issue 18)', () => {
  let redis: RedisServer;
  let receiver: Receiver;
  let a: ManagedRouter;
  let b: ManagedRouter;
  let config = '';
  const delivered = (): string[] => receiver.requests.flatMap((q) => uuidsIn(q.text));
  const detail = async (r: ManagedRouter, uuid: string): Promise<EventDetail> =>
    (await r.api<EventDetail>(`/api/v1/events/${uuid}`)).body;
  const listedAs = async (r: ManagedRouter, id: string): Promise<string | undefined> =>
    (await r.api<SilencesResponse>('/api/v1/silences')).body.silences.find((s) => s.id === id)?.state;

  beforeAll(async () => {
    redis = await RedisServer.start();
    receiver = await Receiver.start(() => ({ status: 200 }));
    config = `outputs:\n  - name: soc\n    type: webhook\n    address: ${receiver.url}/falco\n`;
    a = await launchRouter({ configYaml: config, env: { REDIS_URL: `${redis.url}/0` } });
    b = await launchRouter({ configYaml: config, env: { REDIS_URL: `${redis.url}/0` } });
  });
  afterAll(async () => {
    await a?.kill('SIGTERM');
    await b?.kill('SIGTERM');
    await receiver?.close();
    await redis?.stop();
  });

  it('a silence created on A applies to events ingested by B; expired on B, A sends the rule again', async () => {
    const created = await a.api<{ id: string }>('/api/v1/silences', {
      method: 'POST',
      body: {
        filter: { rules: { include: ['Terminal shell in container'] } },
        duration: '1h',
        comment: 'from A',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    // B lists it (and, having read Redis for that, applies it)
    expect(await listedAs(b, id)).toBe('active');

    // a dashboard on A: B's silenced event reaches it marked
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(a.url, {
      path: '/socket.io',
      transports: ['websocket'],
    });
    const pushed: string[] = [];
    socket.on('event', (json) => pushed.push(json));
    const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('subscribe', {}, resolve));
    expect(ack.ok).toBe(true);

    const muted = falcoEvent(1);
    const passes = otherRule();
    expect(await b.post(muted.body)).toBe(200);
    expect(await b.post(passes.body)).toBe(200);
    await expect.poll(delivered, { timeout: 15_000 }).toContain(passes.uuid);
    expect(delivered()).not.toContain(muted.uuid);
    // recorded in the shared history, marked, with the output's state `silenced`, seen from A
    const d = await detail(a, muted.uuid);
    expect(d.event.silenced).toEqual([id]);
    expect(d.deliveries).toMatchObject([{ output: 'soc', state: 'silenced', attempts: 0, detail: id }]);
    await expect
      .poll(() => pushed.find((j) => j.includes(muted.uuid)), { timeout: 15_000 })
      .toContain(`"silenced":["${id}"]`);
    socket.close();

    // expired early on B: A sends the rule again once it has read that
    const res = await fetch(`${b.url}/api/v1/silences/${id}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(await listedAs(a, id)).toBe('expired');
    const again = falcoEvent(2, randomUUID());
    expect(await a.post(again.body)).toBe(200);
    await expect.poll(delivered, { timeout: 15_000 }).toContain(again.uuid);
    expect((await detail(b, again.uuid)).event.silenced).toBeUndefined();
    expect(delivered()).not.toContain(muted.uuid);
  });

  it('a replica follows a silence created elsewhere by itself, within its refresh', async () => {
    const created = await b.api<{ id: string }>('/api/v1/silences', {
      method: 'POST',
      body: { filter: { hostnames: ['node-1'] }, duration: '1h' },
    });
    expect(created.status).toBe(201);
    // nothing asks A to read Redis here: its periodic refresh picks the silence up
    const silencedOnA = async (): Promise<boolean> => {
      const e = falcoEvent(3);
      expect(await a.post(e.body)).toBe(200);
      return (await detail(a, e.uuid)).event.silenced?.includes(created.body.id) === true;
    };
    await expect.poll(silencedOnA, { timeout: 15_000, interval: 300 }).toBe(true);
  });

  it('keeps silences across a restart', async () => {
    const before = (await a.api<SilencesResponse>('/api/v1/silences')).body.silences;
    expect(before.some((s) => s.state === 'active')).toBe(true);
    await a.kill('SIGTERM');
    a = await launchRouter({ configYaml: config, env: { REDIS_URL: `${redis.url}/0` } });
    expect((await a.api<SilencesResponse>('/api/v1/silences')).body.silences).toEqual(before);
    const e = falcoEvent(4);
    expect(await a.post(e.body)).toBe(200);
    expect((await detail(a, e.uuid)).event.silenced?.length).toBe(1);
  });
});
