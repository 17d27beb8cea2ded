import { createOutput } from '@falconer/outputs-core';
import {
  basicAuthScrubContract,
  outputContract,
  SAMPLE_EVENT_JSON,
  sampleEvent,
} from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRedOutput } from './nodered.descriptor';

const make = (settings: Record<string, unknown>) =>
  createOutput(nodeRedOutput, { name: 'nodered', type: 'nodered', path: 'nodered', settings }, {});

describe('nodered (outputs/nodered.go)', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200 }));
  });
  afterAll(() => rx.close());

  it("POSTs falcosidekick's payload with Basic Auth and custom headers", async () => {
    const { output, errors } = make({
      address: `${rx.url}/falco`,
      user: 'falco',
      password: 'p4ss-word',
      customheaders: { 'X-Flow': 'alerts' },
    });
    expect(errors).toEqual([]);
    expect(await output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect([req.method, req.url]).toEqual(['POST', '/falco']);
    expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers['authorization']).toBe(`Basic ${Buffer.from('falco:p4ss-word').toString('base64')}`);
    expect(req.headers['x-flow']).toBe('alerts');
    await output.close?.();
  });

  it('sends no Authorization unless both user and password are set (as falcosidekick)', async () => {
    const { output } = make({ address: rx.url, user: 'falco' });
    await output.send([sampleEvent()], new AbortController().signal);
    expect(rx.requests.at(-1)!.headers['authorization']).toBeUndefined();
    await output.close?.();
  });
});

outputContract({
  name: 'nodered',
  make: (url) => make({ address: `${url}/falco`, user: 'falco', password: 'nr-secret-pass' }).output,
  secrets: ['nr-secret-pass', Buffer.from('falco:nr-secret-pass').toString('base64')],
  checkRequest: (req) => expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n'),
});

basicAuthScrubContract({
  name: 'nodered',
  make: (url, user, password) => make({ address: url, user, password }).output,
});
