import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { fixture, fixtureNames } from '@falconer/testing';
import { startRouter, type Harness } from '../testing/router-harness';

let h: Harness;
beforeAll(async () => {
  h = await startRouter();
});
afterAll(async () => {
  await h.close();
});

async function inputs(): Promise<{ accepted: number; rejected: number }> {
  const text = await (await fetch(h.url + '/metrics')).text();
  const get = (status: string): number =>
    Number(
      new RegExp(
        `falcosecurity_falcosidekick_inputs_total\\{source="requests",status="${status}"\\} (\\d+)`,
      ).exec(text)?.[1],
    );
  return { accepted: get('accepted'), rejected: get('rejected') };
}

/** A small deterministic PRNG so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutations(random: () => number): Buffer[] {
  const bases = fixtureNames().map((n) => fixture(n));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const out: Buffer[] = [];
  const hostile = [
    '{"__proto__":{"polluted":true},"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z"}',
    '{"constructor":{"prototype":{"polluted":true}},"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z","output_fields":{}}',
    '['.repeat(5000) + ']'.repeat(5000),
    '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
    '{"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z","output_fields":{"n":1' +
      '0'.repeat(5000) +
      '}}',
    '{"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z","output_fields":{"n":1e999999}}',
    '{"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z","output_fields":{"n":-}}',
    '{"priority":"Debug","rule":"r","time":"2026-01-01T00:00:00Z","output_fields":{"n":NaN}}',
    'null',
    '"string"',
    '12345678901234567890',
    '{}',
    '{"priority":null,"rule":null,"time":null,"output_fields":null}',
  ];
  for (const h of hostile) out.push(Buffer.from(h));
  out.push(
    Buffer.from([0xc3, 0x28, 0x7b, 0x7d]),
    Buffer.from([0xff, 0xfe, 0xfd]),
    Buffer.from('{"rule":"\ud800"}'),
  );
  for (let i = 0; i < 1000; i++) {
    const base = pick(bases);
    const kind = Math.floor(random() * 6);
    if (kind === 0) out.push(Buffer.from(base.slice(0, Math.floor(random() * (base.length - 1)))));
    else if (kind === 1) {
      const obj = JSON.parse(base) as Record<string, unknown>;
      const key = pick([
        'priority',
        'rule',
        'time',
        'output_fields',
        'tags',
        'hostname',
        'source',
        'output',
        'uuid',
      ]);
      obj[key] = pick([
        42,
        true,
        [],
        {},
        { nested: { deep: 1 } },
        'not-a-time',
        '',
        null,
        [1, { a: 1 }],
        'urgent',
      ]);
      if (key === 'tags' || key === 'hostname' || key === 'source' || key === 'output' || key === 'uuid') {
        if (obj[key] === null || typeof obj[key] === 'string') obj[key] = { bad: true };
      }
      if (key === 'priority' && typeof obj[key] === 'string' && obj[key] !== '') obj[key] = 'urgent';
      out.push(Buffer.from(JSON.stringify(obj)));
    } else if (kind === 2) {
      const b = Buffer.from(base);
      b[Math.floor(random() * b.length)] = Math.floor(random() * 256) | 0x80;
      b[Math.floor(random() * b.length)] = 0x80;
      out.push(b);
    } else if (kind === 3) {
      const obj = JSON.parse(base) as { output_fields: Record<string, unknown> };
      obj.output_fields[pick(['x', 'proc.aname[9]', '__proto__'])] = { object: 'not allowed' };
      out.push(Buffer.from(JSON.stringify(obj)));
    } else if (kind === 4) {
      out.push(Buffer.from(base.replace(/[{}[\]:,"]/, pick(['', '}', ']', '::', ',,']))));
    } else {
      out.push(
        Buffer.from(
          JSON.stringify({ event: pick(['x', 1, [], { rule: 'r' }]), outputs: pick([1, ['a'], 'x']) }),
        ),
      );
    }
  }
  return out;
}

describe('hostile input', () => {
  it('answers every malformed body with a 4xx JSON reason, counts it as rejected, stays alive with flat memory', async () => {
    const bodies = mutations(rng(20261122));
    const before = await inputs();
    const heapBefore = process.memoryUsage().heapUsed;
    const statuses = new Map<number, number>();
    for (const body of bodies) {
      const res = await fetch(h.url + '/', { method: 'POST', body });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      if (res.status === 200) {
        // a mutation can still be a valid event; it must then have been recorded as one
        continue;
      }
      expect(res.status, text).toBeGreaterThanOrEqual(400);
      expect(res.status, text).toBeLessThan(500);
      const reason = JSON.parse(text) as { error: string; message: string };
      expect(reason.error).toMatch(/^[a-z_]+$/);
      expect(reason.message.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
    const accepted = statuses.get(200) ?? 0;
    expect(accepted).toBeLessThan(bodies.length / 10);
    const after = await inputs();
    expect(after.accepted).toBe(before.accepted + accepted);
    expect(after.rejected).toBe(before.rejected + bodies.length - accepted);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((await fetch(h.url + '/healthz')).status).toBe(200);
    // memory is flat: no body or refusal is kept (generous bound: GC timing varies)
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});

/** Hostile values for one query parameter or subscription key. */
function hostileValues(random: () => number): unknown[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const out: unknown[] = [
    '',
    '*'.repeat(10_000),
    '%00',
    '\u0000\ud800',
    '__proto__',
    'constructor',
    '-1',
    '1e999',
    '99999999999999999999',
    'NaN',
    '2026-13-45T99:99:99Z',
    ['a', ['b']],
    { $gt: '' },
    null,
    true,
    12.5,
    'a,'.repeat(5_000),
    '(?:a+)+$',
  ];
  for (let i = 0; i < 40; i++)
    out.push(
      pick([
        () => 'x'.repeat(Math.floor(random() * 50_000)),
        () => String(Math.floor(random() * 1e12) - 5e11),
        () => String.fromCharCode(...Array.from({ length: 20 }, () => Math.floor(random() * 0xffff))),
        () => Array.from({ length: Math.floor(random() * 50) }, () => pick(['Debug', 'x', ''])),
      ])(),
    );
  return out;
}

const QUERY_KEYS = [
  'priority',
  'rule',
  'source',
  'tags',
  'since',
  'filter',
  'page',
  'limit',
  'hostname',
  'from',
  'to',
];

describe('hostile queries (issue 20: the fuzz reaches the query API and the live stream)', () => {
  it('answers every hostile query parameter with 200 or a 4xx JSON reason, never 5xx', async () => {
    const random = rng(20261130);
    const paths = [
      '/api/v1/events/search',
      '/api/v1/events/count',
      '/api/v1/events/count/rule',
      '/api/v1/events/histogram',
    ];
    let checked = 0;
    for (const value of hostileValues(random)) {
      const key = QUERY_KEYS[Math.floor(random() * QUERY_KEYS.length)] as string;
      const path = paths[Math.floor(random() * paths.length)] as string;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const res = await fetch(`${h.url}${path}?${new URLSearchParams({ [key]: text }).toString()}`);
      const body = await res.text();
      expect(res.status, `${path} ${key}=${text.slice(0, 80)}`).toBeLessThan(500);
      if (res.status !== 200) expect(JSON.parse(body)).toMatchObject({ error: expect.any(String) as string });
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    expect((await fetch(h.url + '/healthz')).status).toBe(200);
  });

  it('acks every hostile subscribe message, keeps the socket usable and the router alive', async () => {
    const random = rng(7);
    const socket = io(h.url, { path: '/socket.io', transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    const messages: unknown[] = [...hostileValues(random), undefined, 'string', 42, [], [{}]];
    for (const v of hostileValues(random))
      messages.push({ [QUERY_KEYS[Math.floor(random() * QUERY_KEYS.length)] as string]: v });
    messages.push(JSON.parse('{"__proto__":{"polluted":true}}'));
    for (const m of messages) {
      const ack = await new Promise<{ ok: boolean; error?: string }>((resolve) =>
        (socket.emit as (ev: string, ...args: unknown[]) => void)('subscribe', m, resolve),
      );
      expect(typeof ack.ok).toBe('boolean');
      if (!ack.ok) expect(ack.error?.length).toBeGreaterThan(0);
    }
    // still subscribed and receiving after all that
    const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit('subscribe', {}, resolve));
    expect(ack.ok).toBe(true);
    const got = new Promise<string>((resolve) => socket.once('event', resolve));
    expect((await fetch(h.url + '/', { method: 'POST', body: fixture('shell-in-container') })).status).toBe(
      200,
    );
    expect(await got).toContain('Terminal shell');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    socket.close();
  });
});
