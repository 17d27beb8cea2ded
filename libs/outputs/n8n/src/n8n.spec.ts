import { createOutput } from '@falconer/outputs-core';
import {
  basicAuthScrubContract,
  outputContract,
  SAMPLE_EVENT_JSON,
  sampleEvent,
} from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { n8nOutput } from './n8n.descriptor';

const make = (settings: Record<string, unknown>) =>
  createOutput(n8nOutput, { name: 'n8n', type: 'n8n', path: 'n8n', settings }, {});

describe('n8n (outputs/n8n.go)', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200 }));
  });
  afterAll(() => rx.close());

  it("POSTs falcosidekick's payload with Basic Auth and Header Auth", async () => {
    const { output, errors } = make({
      address: `${rx.url}/webhook/falco`,
      user: 'falco',
      password: 'n8n-pass',
      headerauthname: 'X-N8N-Key',
      headerauthvalue: 'k3y-value',
    });
    expect(errors).toEqual([]);
    expect(await output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect([req.method, req.url]).toEqual(['POST', '/webhook/falco']);
    expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n');
    expect(req.headers['authorization']).toBe(`Basic ${Buffer.from('falco:n8n-pass').toString('base64')}`);
    expect(req.headers['x-n8n-key']).toBe('k3y-value');
    await output.close?.();
  });

  it('leaves Header Auth out when its name or value is empty', async () => {
    const { output } = make({ address: rx.url, headerauthname: 'X-N8N-Key' });
    await output.send([sampleEvent()], new AbortController().signal);
    expect(rx.requests.at(-1)!.headers['x-n8n-key']).toBeUndefined();
    await output.close?.();
  });
});

outputContract({
  name: 'n8n',
  make: (url) =>
    make({
      address: `${url}/webhook/falco`,
      headerauthname: 'X-N8N-Key',
      headerauthvalue: 'n8n-header-secret',
    }).output,
  secrets: ['n8n-header-secret'],
  checkRequest: (req) => expect(req.headers['x-n8n-key']).toBe('n8n-header-secret'),
});

basicAuthScrubContract({
  name: 'n8n',
  make: (url, user, password) => make({ address: url, user, password }).output,
});
