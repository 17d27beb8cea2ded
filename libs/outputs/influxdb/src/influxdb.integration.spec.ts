import type { FalcoEvent } from '@falconer/contracts';
import { sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { serviceAvailable } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfluxd, type Influxd } from './influxd.testing';
import { influxdbOutput } from './influxdb.descriptor';
import { createOutput } from '@falconer/outputs-core';

// A real InfluxDB 1.x started here (Debian package `influxdb`); a missing influxd fails in CI.
const influxd = await startInfluxd();
const available = await serviceAvailable(
  'influxdb (apt-get install -y influxdb)',
  () => influxd !== undefined,
);

describe.skipIf(!available)('InfluxDB output against a real InfluxDB 1.x', () => {
  const server = influxd as Influxd;
  const signal = (): AbortSignal => new AbortController().signal;

  beforeAll(async () => {
    await server.query('CREATE DATABASE falco');
    await server.query('CREATE DATABASE secured');
  });
  afterAll(() => server.stop());

  it('writes a multi-line batch with escaped tags and reads it back with SELECT * FROM events', async () => {
    const { output, errors } = createOutput(
      influxdbOutput,
      { name: 'influxdb', type: 'influxdb', path: 'influxdb', settings: { hostport: server.url } },
      {},
    );
    expect(errors).toEqual([]);
    const tricky: FalcoEvent = sampleEvent({
      uuid: 'c1',
      rule: 'Rule, with = signs and spaces',
      output: 'He said "hi" \\ then left, a=b',
      time: '2026-11-20T10:15:02.482910331Z',
      hostname: 'host with space',
      output_fields: Object.assign(Object.create(null), {
        'fd.name': 'C:\\dir\\x\\',
        'k8s.ns.name': 'a,b=c d',
        'proc.tty': 34816,
      }),
    });
    const plain = secondEvent({ time: '2026-11-20T10:15:03.000000001Z' });
    expect(await output.send([tricky, plain], signal())).toEqual({ ok: true });

    const res = await server.query('SELECT * FROM events ORDER BY time', 'falco');
    expect(res.results[0]?.error).toBeUndefined();
    const series = res.results[0]?.series?.[0];
    expect(series?.name).toBe('events');
    const rows = (series?.values ?? []).map((v) =>
      Object.fromEntries(series!.columns.map((c, i) => [c, v[i]])),
    );
    expect(rows).toHaveLength(2);
    const [a, b] = rows;
    expect(a).toMatchObject({
      time: Date.parse('2026-11-20T10:15:02Z') * 1e6 + 482910331,
      rule: 'Rule, with = signs and spaces',
      priority: 'Error',
      source: 'syscall',
      hostname: 'host with space',
      // InfluxDB 1.x cannot store a tag value ending in a backslash: dropped, the rest kept.
      'fd.name': 'C:\\dir\\x',
      'k8s.ns.name': 'a,b=c d',
      tags: 'filesystem_mitre_persistence',
      value: 'He said "hi" \\ then left, a=b',
    });
    expect(a).not.toHaveProperty('proc.tty');
    expect(b).toMatchObject({
      rule: 'Terminal shell in container',
      priority: 'Notice',
      'k8s.pod.name': 'web-6d4cf56db6-q8x2z',
      tags: 'T1059_container_shell',
      value: secondEvent().output,
    });
    // The point carries the event's own time, to the nanosecond (JSON numbers are floats: compare by query).
    const exact = await server.query(
      "SELECT value FROM events WHERE time = '2026-11-20T10:15:03.000000001Z'",
      'falco',
    );
    expect(exact.results[0]?.series?.[0]?.values).toHaveLength(1);
    await output.close?.();
  });

  it('honours precision=s and answers a missing database as a client error', async () => {
    const { output } = createOutput(
      influxdbOutput,
      {
        name: 'i',
        type: 'influxdb',
        path: 'influxdb',
        settings: { hostport: server.url, database: 'secured', precision: 's' },
      },
      {},
    );
    expect(await output.send([secondEvent({ uuid: 'p' })], signal())).toEqual({ ok: true });
    const res = await server.query('SELECT * FROM events', 'secured');
    expect(res.results[0]?.series?.[0]?.values[0]?.[0]).toBe(Date.parse('2026-11-20T10:15:02Z') * 1e6);
    await output.close?.();
    const missing = createOutput(
      influxdbOutput,
      { name: 'i', type: 'influxdb', path: 'influxdb', settings: { hostport: server.url, database: 'nope' } },
      {},
    ).output;
    const r = await missing.send([sampleEvent()], signal());
    expect(r).toMatchObject({ ok: false, reason: 'client_error', retryable: false });
    expect(r.ok ? '' : r.detail).toContain('database not found');
    await missing.close?.();
  });
});
