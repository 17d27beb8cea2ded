import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '@falconer/testing';
import { startRouter, type Harness } from '../testing/router-harness';

// Issue 13, item 5: a new user POSTs the shipped sample events (dated days back) to a fresh router. They
// must be visible (history retention counts from receipt, like falcosidekick-ui) and counted; events a
// configured drop filter discards are counted too. No assumption on today's date: the fixture is moved
// 30 days back from now.

let h: Harness;
beforeAll(async () => {
  h = await startRouter({}, `drop:\n  rules: { include: ["Falco internal: syscall event drop"] }\n`);
});
afterAll(async () => {
  await h.close();
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(h.url + '/metrics')).text();
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
}

describe('events dated before the history TTL', () => {
  it('are kept from receipt, found by search, counted', async () => {
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const body = fixture('shell-in-container')
      .replace(/"time":"[^"]*"/, `"time":"${old}"`)
      .replace(/^\{/, '{"uuid":"0b1d0000-0000-4000-8000-000000000013",');
    expect((await fetch(h.url + '/', { method: 'POST', body })).status).toBe(200);
    const found = (await (await fetch(h.url + '/api/v1/events/search')).json()) as {
      results: { uuid: string }[];
    };
    expect(found.results.map((e) => e.uuid)).toContain('0b1d0000-0000-4000-8000-000000000013');
    expect((await fetch(h.url + '/api/v1/events/0b1d0000-0000-4000-8000-000000000013')).status).toBe(200);
    expect(await metric('falconer_ingest_old_events_total')).toBe(1);
  });

  it('events discarded by the drop filter are counted', async () => {
    expect((await fetch(h.url + '/', { method: 'POST', body: fixture('internal-drop') })).status).toBe(200);
    expect(await metric('falconer_ingest_dropped_total')).toBe(1);
  });
});
