import type { FalcoEvent } from '@falconer/contracts';
import type { Output, OutputNotice } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bulkOk, fakeEs8, type FakeEs8 } from './es8.testing';
import { formatDocument, indexName } from './elasticsearch.format';
import { elasticsearchOutput } from './elasticsearch.descriptor';
import { createOutput } from '@falconer/outputs-core';

const signal = (): AbortSignal => new AbortController().signal;
const fields = (o: Record<string, string | number>) => Object.assign(Object.create(null), o);

describe('Elasticsearch output against a receiver answering like Elasticsearch 8', () => {
  let rx: Receiver;
  let es: FakeEs8;
  let outputs: Output[] = [];
  const notices: OutputNotice[] = [];
  const make = (settings: Record<string, unknown>): Output => {
    const { output, errors } = createOutput(
      elasticsearchOutput,
      {
        name: 'elasticsearch',
        type: 'elasticsearch',
        path: 'elasticsearch',
        settings: { hostport: rx.url, ...settings },
      },
      { notice: (n) => notices.push(n) },
    );
    expect(errors).toEqual([]);
    outputs.push(output);
    return output;
  };

  beforeAll(async () => {
    rx = await Receiver.start();
  });
  afterAll(() => rx.close());
  afterEach(async () => {
    for (const o of outputs) await o.close?.();
    outputs = [];
    es = fakeEs8();
    rx.respond(es.responder);
    rx.requests.length = 0;
    notices.length = 0;
  });
  beforeAll(() => {
    es = fakeEs8();
    rx.respond(es.responder);
  });

  it('indexes one document into falco-YYYY.MM.DD from the event time, with @timestamp verbatim', async () => {
    const ev = sampleEvent();
    expect(await make({}).send([ev], signal())).toEqual({ ok: true });
    const req = rx.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/falco-2019.05.17/_doc');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.text).toBe(
      '{"uuid":"a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b","output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)","priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609046Z","output_fields":{"evt.time":1507591916746609046,"fd.name":"/bin/hack","proc.cmdline":"touch /bin/hack","user.name":"root"},"source":"syscall","tags":["filesystem","mitre_persistence"],"hostname":"falco-node-1","@timestamp":"2019-05-17T15:31:56.746609046Z"}',
    );
    const stored = es.docs.get('falco-2019.05.17');
    expect(stored).toHaveLength(1);
    expect(stored?.[0]?.['@timestamp']).toBe('2019-05-17T15:31:56.746609046Z');
  });

  it('names the index from the event time in UTC for every suffix, not from the clock', () => {
    const t = '2026-11-20T23:30:00.5-02:00';
    expect(indexName('falco', 'daily', t)).toBe('falco-2026.11.21');
    expect(indexName('falco', 'monthly', t)).toBe('falco-2026.11');
    expect(indexName('falco', 'annually', t)).toBe('falco-2026');
    expect(indexName('falco', 'none', t)).toBe('falco');
  });

  it('custom index, type, pipeline, API key; flattenfields', async () => {
    const o = make({
      index: 'sec',
      suffix: 'monthly',
      type: '_doc',
      pipeline: 'geo ip',
      apikey: 'a2V5OnNlY3JldA==',
      flattenfields: true,
    });
    expect(await o.send([secondEvent()], signal())).toEqual({ ok: true });
    const req = rx.requests[0]!;
    expect(req.url).toBe('/sec-2026.11/_doc?pipeline=geo%20ip');
    expect(req.headers['authorization']).toBe('APIKey a2V5OnNlY3JldA==');
    const doc = JSON.parse(req.text);
    expect(Object.keys(doc.output_fields)).toEqual([
      'container_id',
      'container_image_repository',
      'k8s_ns_name',
      'k8s_pod_name',
      'proc_cmdline',
      'proc_tty',
      'user_loginuid',
      'user_name',
    ]);
  });

  it('basic auth when username and password are set', async () => {
    await make({ username: 'elastic', password: 'changeme' }).send([sampleEvent()], signal());
    expect(rx.requests[0]!.headers['authorization']).toBe(
      `Basic ${Buffer.from('elastic:changeme').toString('base64')}`,
    );
  });

  it('gzips the body with enablecompression', async () => {
    expect(await make({ enablecompression: 'true' }).send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(rx.requests[0]!.headers['content-encoding']).toBe('gzip');
    expect(es.docs.get('falco-2019.05.17')).toHaveLength(1);
  });

  it('mapping conflict: drops the offending field and retries once, and says so', async () => {
    es.longFields.add('proc.pid');
    const ev = sampleEvent({ output_fields: fields({ 'proc.pid': 'not-a-number', 'proc.name': 'touch' }) });
    expect(await make({}).send([ev], signal())).toEqual({ ok: true });
    expect(rx.requests).toHaveLength(2);
    const stored = es.docs.get('falco-2019.05.17')?.[0];
    expect(stored?.['output_fields']).toEqual({ 'proc.name': 'touch' });
    expect(notices).toMatchObject([{ event: 'mapping_conflict_field_dropped', data: { field: 'proc.pid' } }]);
  });

  it('mapping conflict with flattened keys drops the flattened field', async () => {
    es.longFields.add('proc_pid');
    const ev = sampleEvent({ output_fields: fields({ 'proc.pid': 'abc', 'proc.name': 'touch' }) });
    expect(await make({ flattenfields: true }).send([ev], signal())).toEqual({ ok: true });
    expect(es.docs.get('falco-2019.05.17')?.[0]?.['output_fields']).toEqual({ proc_name: 'touch' });
  });

  it('mapping conflict naming a field the event does not have: a client error, no second request', async () => {
    rx.respond(() => ({
      status: 400,
      body: JSON.stringify({
        error: {
          type: 'document_parsing_exception',
          reason: '[1:2] failed to parse field [output_fields.absent] of type [long]',
        },
        status: 400,
      }),
    }));
    const r = await make({}).send([sampleEvent()], signal());
    expect(r).toMatchObject({ ok: false, retryable: false, reason: 'client_error' });
    expect(r.ok ? '' : r.detail).toContain('document_parsing_exception');
    expect(rx.requests).toHaveLength(1);
  });

  describe('_bulk', () => {
    const batch = (): FalcoEvent[] => [
      sampleEvent({ uuid: 'u0' }),
      secondEvent({ uuid: 'u1' }),
      sampleEvent({ uuid: 'u2', time: '2019-05-18T00:00:01Z' }),
    ];

    it('batches as NDJSON create actions into per-day indexes and declares the byte budget', async () => {
      const o = make({ batching: { enabled: true, batchsize: 1048576, flushinterval: '500ms' } });
      expect(o.batch).toEqual({ maxEvents: 10_000, maxBytes: 1048576, flushIntervalMs: 500 });
      const b = batch();
      expect(await o.send(b, signal())).toEqual({ ok: true });
      const req = rx.requests[0]!;
      expect(req.url).toBe('/_bulk');
      expect(req.headers['content-type']).toBe('application/x-ndjson');
      expect(req.text).toBe(
        `{"create":{"_index":"falco-2019.05.17"}}\n${formatDocument(b[0]!, false)}\n` +
          `{"create":{"_index":"falco-2026.11.20"}}\n${formatDocument(b[1]!, false)}\n` +
          `{"create":{"_index":"falco-2019.05.18"}}\n${formatDocument(b[2]!, false)}\n`,
      );
      expect([...es.docs.keys()].sort()).toEqual([
        'falco-2019.05.17',
        'falco-2019.05.18',
        'falco-2026.11.20',
      ]);
    });

    it('env-style flat keys work too', () => {
      const o = make({ 'batching.enabled': 'true' });
      expect(o.batch).toEqual({ maxEvents: 10_000, maxBytes: 5_242_880, flushIntervalMs: 1000 });
    });

    it('partial failure: reports only the items that failed retryably, never the whole batch', async () => {
      es.bulkItemStatus = (i) => (i === 1 ? 429 : i === 2 ? 503 : undefined);
      const r = await make({ 'batching.enabled': true }).send(batch(), signal());
      expect(r).toMatchObject({ ok: false, retryable: true, reason: 'rate_limited', failedIndexes: [1, 2] });
      expect(r.ok ? undefined : r.rejectedIndexes).toBeUndefined();
      expect(r.ok ? '' : r.detail).toBe(
        '2 of 3 documents failed in _bulk: 1 × 429 es_rejected_execution_exception, 1 × 503 unavailable_shards_exception',
      );
      expect(es.docs.get('falco-2019.05.17')).toHaveLength(1);
      expect(rx.requests).toHaveLength(1);
    });

    it('items refused for good are rejectedIndexes, not retried', async () => {
      es.bulkItemStatus = (i) => (i === 0 ? 409 : undefined);
      const r = await make({ 'batching.enabled': true }).send(batch(), signal());
      expect(r).toMatchObject({
        ok: false,
        retryable: false,
        reason: 'client_error',
        failedIndexes: [],
        rejectedIndexes: [0],
      });
    });

    it('mapping conflicts inside a batch: only those documents are re-sent once without the field', async () => {
      es.longFields.add('proc.pid');
      const b = batch();
      b[1] = secondEvent({ uuid: 'u1', output_fields: fields({ 'proc.pid': 'x', 'k8s.ns.name': 'shop' }) });
      expect(await make({ 'batching.enabled': true }).send(b, signal())).toEqual({ ok: true });
      expect(rx.requests).toHaveLength(2);
      expect(rx.requests[1]!.text.split('\n').filter((l) => l !== '')).toHaveLength(2);
      expect(es.docs.get('falco-2026.11.20')?.[0]?.['output_fields']).toEqual({ 'k8s.ns.name': 'shop' });
      expect(notices).toHaveLength(1);
    });

    it('a whole-request failure is classified as usual', async () => {
      rx.respond(() => ({ status: 429, headers: { 'retry-after': '3' }, body: '{}' }));
      const r = await make({ 'batching.enabled': true }).send(batch(), signal());
      expect(r).toMatchObject({ ok: false, retryable: true, reason: 'rate_limited', retryAfterMs: 3000 });
      expect(r.ok ? [] : r.failedIndexes).toBeUndefined();
    });
  });

  it('createindextemplate: GET, PUT on 404, nothing more once it exists; implies flattened keys', async () => {
    const o = make({ createindextemplate: true, numberofshards: 1, numberofreplicas: '0' });
    expect(await o.init?.(signal())).toEqual({ ok: true });
    expect(rx.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /_index_template/falco',
      'PUT /_index_template/falco',
    ]);
    expect(es.templates.get('falco')).toEqual({
      index_patterns: ['falco-*'],
      template: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: {
          properties: {
            '@timestamp': { type: 'date_nanos' },
            time: { type: 'date_nanos' },
            priority: { type: 'keyword' },
            rule: { type: 'keyword' },
            source: { type: 'keyword' },
            hostname: { type: 'keyword' },
            tags: { type: 'keyword' },
            uuid: { type: 'keyword' },
            output: { type: 'text' },
          },
        },
      },
    });
    expect(await o.init?.(signal())).toEqual({ ok: true });
    expect(rx.requests).toHaveLength(3);
    await o.send([sampleEvent()], signal());
    expect(Object.keys(JSON.parse(rx.requests[3]!.text).output_fields)).toContain('fd_name');
  });

  it('reports every configuration problem', () => {
    const { errors } = createOutput(
      elasticsearchOutput,
      {
        name: 'e',
        type: 'elasticsearch',
        path: 'elasticsearch',
        settings: { suffix: 'weekly', index: 'Bad Index', numberofshards: 'x' },
      },
      {},
    );
    expect(errors).toEqual([
      'elasticsearch.hostport: required',
      'elasticsearch.suffix: expected daily|monthly|annually|none, got "weekly"',
      'elasticsearch.numberofshards: expected a whole number, got "x"',
      'elasticsearch.index: not a valid Elasticsearch index name: "Bad Index"',
    ]);
  });
});

outputContract({
  name: 'elasticsearch single',
  make: (url) =>
    createOutput(
      elasticsearchOutput,
      {
        name: 'elasticsearch',
        type: 'elasticsearch',
        path: 'elasticsearch',
        settings: { hostport: url, username: 'elastic', password: 'hunter2-secret' },
      },
      {},
    ).output,
  secrets: ['hunter2-secret', Buffer.from('elastic:hunter2-secret').toString('base64')],
  okReply: () => ({ status: 201, body: '{"result":"created"}' }),
  checkRequest: (req) => expect(req.url).toBe('/falco-2019.05.17/_doc'),
});

outputContract({
  name: 'elasticsearch _bulk',
  make: (url) =>
    createOutput(
      elasticsearchOutput,
      {
        name: 'elasticsearch',
        type: 'elasticsearch',
        path: 'elasticsearch',
        settings: { hostport: url, apikey: 'apikey-secret-value', batching: { enabled: true } },
      },
      {},
    ).output,
  batch: [sampleEvent(), secondEvent()],
  secrets: ['apikey-secret-value'],
  okReply: bulkOk,
  checkRequest: (req) => expect(req.url).toBe('/_bulk'),
});
