import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
