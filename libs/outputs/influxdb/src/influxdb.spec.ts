import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { describe, expect, it } from 'vitest';
import { influxdbConfig } from './influxdb.config';
import { escapeTag, formatInfluxBody, formatInfluxLine, quoteField } from './influxdb.format';
import { influxdbOutput } from './influxdb.descriptor';
import { createOutput, prepare } from '@falconer/outputs-core';

const read = (settings: Record<string, unknown>) => {
  const p = prepare(influxdbOutput, { name: 'influxdb', type: 'influxdb', path: 'influxdb', settings });
  const config = influxdbConfig(p.values, p.ctx);
  return { config, errors: p.errors };
};

describe('InfluxDB write URL', () => {
  it('v1 with database, user and password, precision; parameters encoded', () => {
    const { config, errors } = read({
      hostport: 'http://influx:8086/',
      database: 'fal co',
      user: 'bob',
      password: 'p&ss=1',
    });
    expect(errors).toEqual([]);
    expect(config.writeUrl).toBe('http://influx:8086/write?db=fal%20co&u=bob&p=p%26ss%3D1&precision=ns');
  });

  it('v1 without credentials when a token is set', () => {
    expect(
      read({ hostport: 'http://influx:8086', user: 'bob', password: 'pw', token: 'tkn', precision: 'us' })
        .config.writeUrl,
    ).toBe('http://influx:8086/write?db=falco&precision=u');
  });

  it('v2 when organization and bucket are set', () => {
    const { config } = read({
      hostport: 'https://influx',
      organization: 'acme sec',
      bucket: 'alerts',
      precision: 'u',
    });
    expect(config.writeUrl).toBe('https://influx/api/v2/write?org=acme%20sec&bucket=alerts&precision=us');
  });

  it('reports bad values', () => {
    expect(read({ precision: 'fortnight' }).errors).toEqual([
      'influxdb.hostport: required',
      'influxdb.precision: expected ns|u|ms|s|m|h, got "fortnight"',
    ]);
  });
});

describe('InfluxDB line protocol', () => {
  it('formats the documented sample event with sorted string fields, hostname, tags and the event time', () => {
    expect(formatInfluxLine(sampleEvent(), 'ns')).toBe(
      'events,rule=Write\\ below\\ binary\\ dir,priority=Error,source=syscall,fd.name=/bin/hack,proc.cmdline=touch\\ /bin/hack,user.name=root,' +
        'hostname=falco-node-1,tags=filesystem_mitre_persistence ' +
        'value="16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)" 1558107116746609046',
    );
  });

  it('escapes tag keys and values and string fields', () => {
    expect(escapeTag('a,b=c d')).toBe('a\\,b\\=c\\ d');
    expect(escapeTag('line\nbreak')).toBe('line\\ break');
    expect(escapeTag('C:\\dir\\')).toBe('C:\\dir');
    expect(quoteField('say "x" \\ y')).toBe('"say \\"x\\" \\\\ y"');
  });

  it('leaves out empty values, non-string fields and fields named like its own tags', () => {
    const ev = sampleEvent({
      hostname: '',
      tags: [],
      output_fields: Object.assign(Object.create(null), { empty: '', rule: 'x', n: 1, ok: 'y' }),
    });
    expect(formatInfluxLine(ev, 's')).toBe(
      `events,rule=Write\\ below\\ binary\\ dir,priority=Error,source=syscall,ok=y value="${ev.output}" 1558107116`,
    );
  });

  it('writes one line per event in a batch', () => {
    expect(formatInfluxBody([sampleEvent(), secondEvent()], 'ms').split('\n')).toHaveLength(2);
  });
});

describe('InfluxDB over HTTP', () => {
  it('sends Authorization: Token and text/plain line protocol', async () => {
    const rx = await Receiver.start(() => ({ status: 204 }));
    const { output } = createOutput(
      influxdbOutput,
      {
        name: 'i',
        type: 'influxdb',
        path: 'influxdb',
        settings: { hostport: rx.url, organization: 'o', bucket: 'b', token: 'tok-123456' },
      },
      {},
    );
    expect(output.batch).toEqual({ maxEvents: 1000, flushIntervalMs: 1000 });
    expect(await output.send([sampleEvent(), secondEvent()], new AbortController().signal)).toEqual({
      ok: true,
    });
    const req = rx.requests[0]!;
    expect(req.url).toBe('/api/v2/write?org=o&bucket=b&precision=ns');
    expect(req.headers['authorization']).toBe('Token tok-123456');
    expect(req.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(req.text).toBe(formatInfluxBody([sampleEvent(), secondEvent()], 'ns'));
    await output.close?.();
    await rx.close();
  });
});

outputContract({
  name: 'influxdb',
  make: (url) =>
    createOutput(
      influxdbOutput,
      {
        name: 'influxdb',
        type: 'influxdb',
        path: 'influxdb',
        settings: { hostport: url, user: 'falcouser', password: 'pa55word-secret' },
      },
      {},
    ).output,
  batch: [sampleEvent(), secondEvent()],
  secrets: ['pa55word-secret'],
  okReply: () => ({ status: 204 }),
  checkRequest: (req) => expect(req.url).toBe('/write?db=falco&u=falcouser&p=pa55word-secret&precision=ns'),
});
