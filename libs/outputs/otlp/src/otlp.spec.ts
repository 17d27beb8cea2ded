import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpLogsOutput, otlpTracesOutput } from './otlp.descriptor';
import { fnv128a, traceIdOf } from './otlp.format';

interface AnyValue {
  stringValue?: string;
  arrayValue?: { values: AnyValue[] };
}
const attrs = (list: { key: string; value: AnyValue }[]): Record<string, unknown> =>
  Object.fromEntries(
    list.map((a) => [
      a.key,
      a.value.arrayValue ? a.value.arrayValue.values.map((v) => v.stringValue) : a.value.stringValue,
    ]),
  );

const make = (d: typeof otlpLogsOutput | typeof otlpTracesOutput, settings: Record<string, unknown>) => {
  const { output, errors } = createOutput(d, { name: d.type, type: d.type, path: `otlp`, settings });
  expect(errors).toEqual([]);
  return output;
};

describe('OTLP over HTTP: the receiver decodes what falcosidekick exports (outputs/otlp_logs.go, otlp_traces.go)', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200, body: '{}' }));
  });
  afterAll(() => rx.close());

  it('a log record per event: body, INFO, falcosidekick attributes, the event time in ns, service falco', async () => {
    const out = make(otlpLogsOutput, {
      endpoint: `${rx.url}/v1/logs`,
      protocol: 'http/json',
      headers: 'authorization=Bearer%20abc,x-tenant=sec',
    });
    expect(await out.send([sampleEvent(), secondEvent()], new AbortController().signal)).toEqual({
      ok: true,
    });
    const req = rx.requests.at(-1)!;
    expect(req.url).toBe('/v1/logs');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['authorization']).toBe('Bearer abc');
    expect(req.headers['x-tenant']).toBe('sec');
    const rl = JSON.parse(req.text).resourceLogs[0];
    expect(attrs(rl.resource.attributes)).toMatchObject({
      'service.name': 'falco',
      'service.version': 'v0.1.0',
    });
    expect(rl.scopeLogs[0].scope.name).toBe('falco');
    const [first, second] = rl.scopeLogs[0].logRecords;
    expect(first.body).toEqual({ stringValue: sampleEvent().output });
    expect(first.severityNumber).toBe(9);
    expect(first.severityText).toBe('INFO');
    expect(String(first.timeUnixNano)).toBe('1558107116746609046');
    expect(attrs(first.attributes)).toEqual({
      priority: 'Error',
      source: 'syscall',
      rule: 'Write below binary dir',
      hostname: 'falco-node-1',
      tags: 'filesystem,mitre_persistence',
      timestamp: '2019-05-17 15:31:56.746609046 +0000 UTC',
    });
    expect(attrs(second.attributes).rule).toBe('Terminal shell in container');
    await out.close?.();
  });

  it('a span per event: the rule, SERVER, trace per pod, attributes with every field, the output as an event', async () => {
    const out = make(otlpTracesOutput, {
      endpoint: `${rx.url}/v1/traces`,
      protocol: 'http/json',
      duration: 1500,
    });
    expect(await out.send([secondEvent()], new AbortController().signal)).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.url).toBe('/v1/traces');
    const rs = JSON.parse(req.text).resourceSpans[0];
    expect(rs.scopeSpans[0].scope.name).toBe('falco-event');
    const span = rs.scopeSpans[0].spans[0];
    expect(span.name).toBe('Terminal shell in container');
    expect(span.kind).toBe(2); // SERVER
    expect(span.traceId).toBe(fnv128a('shop:web-6d4cf56db6-q8x2z'));
    expect(String(span.startTimeUnixNano)).toBe('1795169702482910331');
    expect(String(span.endTimeUnixNano)).toBe('1795169703982910331');
    expect(attrs(span.attributes)).toEqual({
      uuid: secondEvent().uuid,
      source: 'syscall',
      priority: 'Notice',
      rule: 'Terminal shell in container',
      hostname: 'worker-1',
      tags: ['T1059', 'container', 'shell'],
      'container.id': '4f1c2a9b7d3e',
      'container.image.repository': 'docker.io/library/nginx',
      'k8s.ns.name': 'shop',
      'k8s.pod.name': 'web-6d4cf56db6-q8x2z',
      'proc.cmdline': 'bash',
      'proc.tty': '34816',
      'user.loginuid': '-1',
      'user.name': 'root',
    });
    expect(span.events).toEqual([
      expect.objectContaining({ name: secondEvent().output, timeUnixNano: '1795169702482910331' }),
    ]);
    await out.close?.();
  });

  it('http/protobuf (falcosidekick default) sends protobuf carrying the same strings', async () => {
    const out = make(otlpLogsOutput, { endpoint: `${rx.url}/v1/logs` });
    expect(await out.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.headers['content-type']).toBe('application/x-protobuf');
    expect(req.body.includes(Buffer.from(sampleEvent().output))).toBe(true);
    expect(req.body.includes(Buffer.from('Write below binary dir'))).toBe(true);
    await out.close?.();
  });

  it('trace ids: FNV-1a 128 of pod, else container, else evt.hostname, else (Falconer) the uuid', () => {
    expect(fnv128a('')).toBe('6c62272e07bb014262b821756295c58d');
    expect(fnv128a('a')).toBe('d228cb696f1a8caf78912b704e4a8964');
    expect(traceIdOf(sampleEvent())).toBe(fnv128a(sampleEvent().uuid));
    const ev = (f: Record<string, string>) =>
      sampleEvent({ output_fields: Object.assign(Object.create(null), f) });
    expect(traceIdOf(ev({ 'container.id': 'host', 'evt.hostname': 'n1' }))).toBe(fnv128a('n1'));
    expect(traceIdOf(ev({ 'container.id': 'abc' }))).toBe(fnv128a('abc'));
  });

  it('refuses grpc at start', () => {
    const { errors } = createOutput(otlpLogsOutput, {
      name: 'otlp-logs',
      type: 'otlplogs',
      path: 'otlp',
      settings: { endpoint: 'http://c:4317', protocol: 'grpc' },
    });
    expect(errors).toEqual(['otlp.protocol: grpc is not supported; use http/protobuf or http/json']);
  });
});

for (const d of [otlpLogsOutput, otlpTracesOutput])
  outputContract({
    name: d.type,
    make: (url) => make(d, { endpoint: `${url}/v1/x`, headers: 'authorization=Bearer%20otlp-S3cr3t' }),
    batch: [sampleEvent(), secondEvent()],
    secrets: ['otlp-S3cr3t'],
    checkRequest: (req) => {
      expect(req.url).toBe('/v1/x');
      expect(req.headers['authorization']).toBe('Bearer otlp-S3cr3t');
    },
  });
