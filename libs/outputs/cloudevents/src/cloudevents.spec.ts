import { HTTP, type CloudEvent } from 'cloudevents';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_EVENT_JSON, sampleEvent } from '@falconer/outputs-testing';
import { Receiver, type RecordedRequest } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudEventsOutput } from './cloudevents.descriptor';

const signal = (): AbortSignal => new AbortController().signal;

/** What falcosidekick's outputs/cloudevents.go (Go SDK, binary mode) sends: json.Marshal, no newline. */
const SAMPLE_BODY = SAMPLE_EVENT_JSON;

const decode = (req: RecordedRequest): CloudEvent<Record<string, unknown>> =>
  HTTP.toEvent({ headers: req.headers, body: req.text }) as CloudEvent<Record<string, unknown>>;

describe('cloudevents (binary mode, outputs/cloudevents.go)', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 202 }));
  });
  afterAll(() => rx.close());

  it("delivers a CloudEvent the cloudevents SDK decodes, with falcosidekick's attributes and extensions", async () => {
    const { output, errors } = createOutput(
      cloudEventsOutput,
      {
        name: 'cloudevents',
        type: 'cloudevents',
        path: 'cloudevents',
        settings: { address: `${rx.url}/falco/default`, extensions: { cluster: 'prod-eu', Team: 'blue' } },
      },
      {},
    );
    expect(errors).toEqual([]);
    expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/falco/default');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.text).toBe(SAMPLE_BODY);
    const ce = decode(req);
    expect({
      specversion: ce.specversion,
      id: ce.id,
      source: ce.source,
      type: ce.type,
      time: ce.time,
      datacontenttype: ce.datacontenttype,
      priority: ce['priority'],
      rule: ce['rule'],
      eventsource: ce['eventsource'],
      hostname: ce['hostname'],
      cluster: ce['cluster'],
      team: ce['team'],
    }).toEqual({
      specversion: '1.0',
      id: 'a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b',
      source: 'https://falco.org',
      type: 'falco.rule.output.v1',
      time: '2019-05-17T15:31:56.746Z',
      datacontenttype: 'application/json',
      priority: 'Error',
      rule: 'Write below binary dir',
      eventsource: 'syscall',
      hostname: 'falco-node-1',
      cluster: 'prod-eu',
      team: 'blue',
    });
    // the SDK keeps milliseconds; the header carries Go's RFC3339Nano
    expect(req.headers['ce-time']).toBe('2019-05-17T15:31:56.746609046Z');
    expect(ce.data).toMatchObject({ rule: 'Write below binary dir', priority: 'Error', source: 'syscall' });
    await output.close?.();
  });

  it('omits ce-hostname without a hostname; non-ASCII rule names leave as UTF-8 bytes', async () => {
    const { output } = createOutput(
      cloudEventsOutput,
      { name: 'ce', type: 'cloudevents', path: 'outputs[0]', settings: { address: rx.url } },
      {},
    );
    expect(
      await output.send([sampleEvent({ hostname: '', rule: 'Écriture dans /bin ✓' })], signal()),
    ).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.headers['ce-hostname']).toBeUndefined();
    expect(Buffer.from(req.headers['ce-rule'] as string, 'latin1').toString('utf8')).toBe(
      'Écriture dans /bin ✓',
    );
    expect(decode(req).id).toBe('a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b');
    await output.close?.();
  });

  it('refuses extension names the spec does not allow, at start', () => {
    const { errors } = createOutput(
      cloudEventsOutput,
      {
        name: 'ce',
        type: 'cloudevents',
        path: 'cloudevents',
        settings: { address: rx.url, extensions: { 'my-ext': 'x', id: 'y' } },
      },
      {},
    );
    expect(errors).toEqual([
      'cloudevents.extensions: "my-ext" is not a CloudEvents attribute name (lower-case letters and digits only)',
      'cloudevents.extensions: "id" is a CloudEvents core attribute, not an extension',
    ]);
  });
});

outputContract({
  name: 'cloudevents',
  make: (url) =>
    createOutput(
      cloudEventsOutput,
      {
        name: 'cloudevents',
        type: 'cloudevents',
        path: 'cloudevents',
        settings: {
          address: `${url}/broker?token=ce-secret-123`,
          customheaders: 'Authorization:Bearer ce-tok-xyz',
        },
      },
      {},
    ).output,
  secrets: ['ce-secret-123', 'ce-tok-xyz'],
  checkRequest: (req) => {
    expect(req.text).toBe(SAMPLE_BODY);
    expect(req.headers['ce-type']).toBe('falco.rule.output.v1');
  },
});
