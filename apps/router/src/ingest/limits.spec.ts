import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '@falconer/testing';
import { MemoryEventStore } from '@falconer/store';
import type { FalcoEvent } from '@falconer/contracts';
import { startRouter, type Harness } from '../testing/router-harness';

let h: Harness;
beforeAll(async () => {
  h = await startRouter({ LIMITS_BODYBYTES: '65536', STORE_TTL: '0' });
});
afterAll(async () => {
  await h.close();
});

const withUuid = (uuid: string, output = 'x'): string => {
  const e = JSON.parse(fixture('shell-in-container')) as Record<string, unknown>;
  return JSON.stringify({ ...e, uuid, output });
};

describe('issue 20, finding 11: a duplicate uuid', () => {
  it('is refused with 409 and never replaces the stored event or its remediation records', async () => {
    const uuid = '11111111-2222-4333-8444-555555555555';
    expect((await fetch(h.url + '/', { method: 'POST', body: withUuid(uuid, 'first') })).status).toBe(200);
    const report = await fetch(h.url + '/api/v1/remediations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        uuid,
        rule: 'r',
        action: 'delete_pod',
        outcome: 'dry_run',
        at: '2026-11-30T00:00:00Z',
      }),
    });
    expect(report.status).toBe(200);
    for (const path of ['/', '/api/v1/events/add']) {
      const again = await fetch(h.url + path, { method: 'POST', body: withUuid(uuid, 'second') });
      expect(again.status, path).toBe(409);
      expect(await again.json()).toMatchObject({ error: 'duplicate_uuid' });
    }
    const stored = (await (await fetch(`${h.url}/api/v1/events/${uuid}`)).json()) as {
      event: { output: string };
      remediations: unknown[];
    };
    expect(stored.event.output).toBe('first');
    expect(stored.remediations).toHaveLength(1);
  });
});

describe('issue 20, finding 6: batch bodies', () => {
  it('are bounded by limits.batchbytes (bodybytes × 8 by default), each event like a single one', async () => {
    const small = fixture('shell-in-container');
    const count = Math.ceil((65536 * 8) / small.length) + 10;
    const tooBig = `[${Array.from({ length: count }, () => small).join(',')}]`;
    const res = await fetch(h.url + '/api/v1/events', { method: 'POST', body: tooBig });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    const big = withUuid('22222222-2222-4333-8444-555555555555', 'o'.repeat(70_000));
    const one = await fetch(h.url + '/api/v1/events', { method: 'POST', body: `[${small},${big}]` });
    expect(one.status).toBe(400);
    expect(((await one.json()) as { message: string }).message).toContain('limits.bodybytes');
    const fine = await fetch(h.url + '/api/v1/events', { method: 'POST', body: `[${small},${small}]` });
    expect(fine.status).toBe(200);
  });
});

describe('issue 20, finding 6: the memory store', () => {
  it('keeps at most store.maxbytes of events, evicting the oldest', async () => {
    const store = new MemoryEventStore(10_000, 0, Date.now, 2_000_000);
    const base = JSON.parse(fixture('shell-in-container')) as FalcoEvent;
    for (let i = 0; i < 100; i++) {
      await store.record({
        ...base,
        uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        output: String(i).repeat(100_000 / String(i).length),
        output_fields: {},
        tags: [],
      });
    }
    const { total } = await store.search({}, { page: 1, limit: 1 });
    // 100 000 one-byte characters each: fewer than twenty fit in 2 MB (two-byte text counts twice:
    // libs/store/src/memory/memory-event-store.spec.ts)
    expect(total).toBeLessThan(20);
    expect(total).toBeGreaterThan(0);
    expect(await store.get('00000000-0000-4000-8000-000000000099')).toBeDefined();
    expect(await store.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });
});
