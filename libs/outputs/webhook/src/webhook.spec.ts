import { createHmac } from 'node:crypto';
import { parseEvent } from '@falconer/falco';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { fixture, Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWebhook, signWebhook } from './webhook.format';
import { webhookOutput } from './webhook.descriptor';
import { createOutput } from '@falconer/outputs-core';

const signal = (): AbortSignal => new AbortController().signal;

describe('webhook over HTTP', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start();
  });
  afterAll(() => rx.close());

  it('sends the exact enriched event body with 19-digit numbers intact and custom headers', async () => {
    const { event } = parseEvent(fixture('write-below-binary-dir'));
    const ev = { ...event, uuid: '11111111-2222-4333-8444-555555555555', tags: ['filesystem'] };
    const { output, errors } = createOutput(
      webhookOutput,
      {
        name: 'webhook',
        type: 'webhook',
        path: 'webhook',
        settings: { address: `${rx.url}/falco`, customheaders: 'Authorization:Bearer abc123,X-Team:sec' },
      },
      {},
    );
    expect(errors).toEqual([]);
    rx.respond(() => ({ status: 204 }));
    expect(await output.send([ev], signal())).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/falco');
    expect(req.text).toBe(
      '{"uuid":"11111111-2222-4333-8444-555555555555","output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)","priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609046Z","output_fields":{"evt.time":1507591916746609046,"fd.name":"/bin/hack","proc.cmdline":"touch /bin/hack","user.name":"root"},"source":"syscalls","tags":["filesystem"],"hostname":"localhost"}\n',
    );
    expect(req.headers['authorization']).toBe('Bearer abc123');
    expect(req.headers['x-team']).toBe('sec');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers['x-falconer-signature']).toBeUndefined();
    await output.close?.();
  });

  it('PUT, and only 200/201/202/204 count as success', async () => {
    const { output } = createOutput(
      webhookOutput,
      { name: 'w', type: 'webhook', path: 'outputs[1]', settings: { address: rx.url, method: 'put' } },
      {},
    );
    rx.respond(() => ({ status: 202 }));
    expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(rx.requests.at(-1)!.method).toBe('PUT');
    rx.respond(() => ({ status: 203 }));
    expect(await output.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      reason: 'client_error',
      retryable: false,
    });
    await output.close?.();
  });

  it('signs the body: X-Falconer-Signature t=<unix>,v1=<hmac of "<t>.<body>">', async () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const { output } = createOutput(
      webhookOutput,
      {
        name: 'soc',
        type: 'webhook',
        path: 'outputs[0]',
        settings: { address: rx.url, signing: { secret: 'topsecret-key' } },
      },
      { now: () => now },
    );
    rx.respond(() => ({ status: 200 }));
    await output.send([secondEvent()], signal());
    const req = rx.requests.at(-1)!;
    const t = now / 1000;
    const mac = createHmac('sha256', 'topsecret-key').update(`${t}.${req.text}`).digest('hex');
    expect(req.headers['x-falconer-signature']).toBe(`t=${t},v1=${mac}`);
    expect(signWebhook(req.text, 'topsecret-key', t)).toBe(`t=${t},v1=${mac}`);
    await output.close?.();
  });

  it('batch: true sends one JSON array per batch and declares its batch policy', async () => {
    const { output } = createOutput(
      webhookOutput,
      {
        name: 'w',
        type: 'webhook',
        path: 'webhook',
        settings: { address: rx.url, batch: 'true', batchsize: '50', flushinterval: '2s' },
      },
      {},
    );
    expect(output.batch).toEqual({ maxEvents: 50, flushIntervalMs: 2000 });
    rx.respond(() => ({ status: 200 }));
    const a = sampleEvent();
    const b = secondEvent();
    expect(await output.send([a, b], signal())).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.text).toBe(formatWebhook([a, b], true));
    const parsed = JSON.parse(req.text);
    expect(parsed.map((e: { uuid: string }) => e.uuid)).toEqual([a.uuid, b.uuid]);
    expect(req.text).toContain('"evt.time":1507591916746609046');
    await output.close?.();
  });

  it('reports every configuration problem', () => {
    const { errors } = createOutput(
      webhookOutput,
      { name: 'w', type: 'webhook', path: 'webhook', settings: { method: 'PATCH', batchsize: 'many' } },
      {},
    );
    expect(errors).toEqual([
      'webhook.address: required',
      'webhook.method: expected POST|PUT, got "PATCH"',
      'webhook.batchsize: expected a whole number, got "many"',
    ]);
  });
});

outputContract({
  name: 'webhook',
  make: (url) =>
    createOutput(
      webhookOutput,
      {
        name: 'webhook',
        type: 'webhook',
        path: 'webhook',
        settings: {
          address: `${url}/hook?key=querysecret123`,
          signing: { secret: 'signing-secret-xyz' },
          customheaders: { Authorization: 'Bearer tok-abcdef' },
        },
      },
      {},
    ).output,
  secrets: ['querysecret123', 'signing-secret-xyz', 'tok-abcdef'],
  okReply: () => ({ status: 200 }),
  checkRequest: (req) => {
    expect(req.url).toBe('/hook?key=querysecret123');
    expect(req.headers['x-falconer-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  },
});
