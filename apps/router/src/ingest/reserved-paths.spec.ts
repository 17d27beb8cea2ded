import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountResponse } from '@falconer/contracts';
import { fixture } from '@falconer/testing';
import { startRouter, type Harness } from '../testing/router-harness';

let h: Harness;

beforeAll(async () => {
  // one route added the way a feature would add it: on the app's Fastify, before it listens
  h = await startRouter({}, undefined, {}, (router) => {
    const fastify = router.app.getHttpAdapter().getInstance();
    fastify.post('/hooks/github', (_request, reply) => reply.code(202).send({ hook: 'github' }));
  });
});
afterAll(async () => {
  await h.close();
});

const post = (path: string): Promise<Response> =>
  fetch(h.url + path, { method: 'POST', body: fixture('shell-in-container') });

async function stored(): Promise<number> {
  const res = await fetch(h.url + '/api/v1/events/count');
  return ((await res.json()) as CountResponse).statistics.all;
}

describe('the raw ingest fast path and the routes the app registers', () => {
  it('leaves a newly registered POST route to its handler instead of taking the body as an alert', async () => {
    const before = await stored();
    const res = await post('/hooks/github');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ hook: 'github' });
    // under the new route's namespace but unrouted: Fastify's 404, not an alert either
    const nf = await post('/hooks/gitlab');
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ error: 'not_found' });
    expect(await stored()).toBe(before);
  });

  it('still takes a POST to any path outside the app namespaces as an alert', async () => {
    const before = await stored();
    expect((await post('/falco')).status).toBe(200);
    expect((await post('/')).status).toBe(200);
    await expect.poll(stored).toBe(before + 2);
  });

  it('keeps the namespaces of the API, the dashboard, metrics and socket.io', async () => {
    for (const path of ['/api/v1/nope', '/ui/nope', '/metrics', '/socket.io/x']) {
      const before = await stored();
      const res = await post(path);
      expect(res.status, path).not.toBe(200);
      expect(await stored(), path).toBe(before);
    }
  });
});
