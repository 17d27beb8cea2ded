import { serializeEvent } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { describe, expect, it } from 'vitest';
import { quickwitOutput } from './quickwit.descriptor';
import { quickwitIndexConfig } from './quickwit.format';

const make = (url: string, settings: Record<string, unknown> = {}) =>
  createOutput(quickwitOutput, {
    name: 'quickwit',
    type: 'quickwit',
    path: 'quickwit',
    settings: { hostport: url, customheaders: 'Authorization:Bearer qw-S3cr3t', ...settings },
  }).output;

describe('Quickwit (falcosidekick outputs/quickwit.go)', () => {
  it('autocreateindex: describes, then creates the index with falcosidekick mapping; 400 = already there', async () => {
    const rx = await Receiver.start((req) =>
      req.url.endsWith('/describe') ? { status: 404 } : { status: req.url === '/api/v1/indexes' ? 400 : 200 },
    );
    const out = make(rx.url, { autocreateindex: true, index: 'sec' });
    expect(await out.init!(new AbortController().signal)).toEqual({ ok: true });
    expect(rx.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/indexes/sec/describe',
      'POST /api/v1/indexes',
    ]);
    expect(rx.requests[1]!.text).toBe(quickwitIndexConfig('sec', '0.7'));
    expect(JSON.parse(rx.requests[1]!.text).doc_mapping.timestamp_field).toBe('time');
    expect(await out.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    expect(rx.requests[2]!.url).toBe('/api/v1/sec/ingest');
    expect(rx.requests[2]!.text).toBe(`${serializeEvent(sampleEvent())}\n`);
    expect(make(rx.url).init).toBeUndefined();
    await out.close?.();
    await rx.close();
  });
});

outputContract({
  name: 'quickwit',
  make: (url) => make(url),
  batch: [sampleEvent(), secondEvent()],
  secrets: ['qw-S3cr3t'],
  checkRequest: (req) => {
    expect(req.url).toBe('/api/v1/falco/ingest');
    expect(req.text).toBe(`${serializeEvent(sampleEvent())}\n${serializeEvent(secondEvent())}\n`);
  },
});
