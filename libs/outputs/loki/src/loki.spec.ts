import { serializeEvent } from '@falconer/falco';
import { createOutput, prepare } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { describe, expect, it } from 'vitest';
import { lokiConfig, type LokiConfig } from './loki.config';
import { lokiOutput } from './loki.descriptor';
import { formatLoki } from './loki.format';

function cfg(settings: Record<string, unknown> = {}): LokiConfig {
  const p = prepare(lokiOutput, {
    name: 'loki',
    type: 'loki',
    path: 'loki',
    settings: { hostport: 'http://loki:3100', ...settings },
  });
  const c = lokiConfig(p.values, p.ctx);
  expect(p.errors).toEqual([]);
  return c;
}

const OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';
const SAMPLE_LABELS =
  '{"hostname":"falco-node-1","priority":"Error","rule":"Write below binary dir","source":"syscall","tags":"filesystem,mitre_persistence"}';

describe('Loki push body (falcosidekick outputs/loki.go, newLokiPayload)', () => {
  it('the sample event, format text: sorted labels, the event time in ns, the output as the line', () => {
    expect(formatLoki([sampleEvent()], cfg())).toBe(
      `{"streams":[{"stream":${SAMPLE_LABELS},"values":[["1558107116746609046","${OUTPUT}"]]}]}\n`,
    );
  });

  it('format json: the whole event (falcosidekick FalcoPayload.String()) as the line', () => {
    const body = JSON.parse(formatLoki([sampleEvent()], cfg({ format: 'json' })));
    expect(body.streams[0].values[0][1]).toBe(serializeEvent(sampleEvent()));
    expect(body.streams[0].values[0][1]).toContain('"evt.time":1507591916746609046');
  });

  it('Kubernetes labels, extralabels (string fields only, quotes removed), no hostname/tags when empty', () => {
    const ev = secondEvent({
      hostname: '',
      tags: [],
      output_fields: Object.assign(Object.create(null), {
        ...secondEvent().output_fields,
        'proc.args[0]': 'say "hi"',
      }),
    });
    const body = JSON.parse(formatLoki([ev], cfg({ extralabels: 'proc.args[0],proc.tty,container.id' })));
    expect(body.streams[0].stream).toEqual({
      container_id: '4f1c2a9b7d3e',
      k8s_ns_name: 'shop',
      k8s_pod_name: 'web-6d4cf56db6-q8x2z',
      priority: 'Notice',
      proc_args0: 'say hi',
      rule: 'Terminal shell in container',
      source: 'syscall',
    });
    expect(body.streams[0].values).toEqual([['1795169702482910331', ev.output]]);
  });

  it('a batch: same label set → one stream, values in order; different labels → another stream', () => {
    const a = sampleEvent();
    const b = sampleEvent({ uuid: 'x', time: '2019-05-17T15:31:57Z', output: 'second' });
    const c = secondEvent();
    const body = JSON.parse(formatLoki([a, c, b], cfg()));
    expect(body.streams).toHaveLength(2);
    expect(body.streams[0].values).toEqual([
      ['1558107116746609046', OUTPUT],
      ['1558107117000000000', 'second'],
    ]);
    expect(body.streams[1].stream.rule).toBe('Terminal shell in container');
  });
});

describe('Loki over HTTP', () => {
  it('posts to the push endpoint with tenant, basic auth and application/json', async () => {
    const rx = await Receiver.start(() => ({ status: 204 }));
    const { output, errors } = createOutput(lokiOutput, {
      name: 'loki',
      type: 'loki',
      path: 'loki',
      settings: { hostport: rx.url, tenant: 'sec', user: 'u1', apikey: 'loki-key-xyz' },
    });
    expect(errors).toEqual([]);
    expect(output.batch).toMatchObject({ maxEvents: 100, flushIntervalMs: 0 });
    expect(await output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    const req = rx.requests[0]!;
    expect(req.url).toBe('/loki/api/v1/push');
    expect(req.headers['x-scope-orgid']).toBe('sec');
    expect(req.headers['authorization']).toBe(`Basic ${Buffer.from('u1:loki-key-xyz').toString('base64')}`);
    expect(req.headers['content-type']).toBe('application/json');
    await output.close?.();
    await rx.close();
  });
});

outputContract({
  name: 'loki',
  make: (url) =>
    createOutput(lokiOutput, {
      name: 'loki',
      type: 'loki',
      path: 'loki',
      settings: { hostport: url, endpoint: '/custom/push', user: 'falco', apikey: 'glc_s3cr3t_key' },
    }).output,
  batch: [sampleEvent(), secondEvent()],
  secrets: ['glc_s3cr3t_key', Buffer.from('falco:glc_s3cr3t_key').toString('base64')],
  okReply: () => ({ status: 204 }),
  checkRequest: (req) => {
    expect(req.url).toBe('/custom/push');
    expect(JSON.parse(req.text).streams).toHaveLength(2);
  },
});
