import { parseEvent, serializeEvent } from '@falconer/falco';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWebUi } from './webui.format';
import { webUiOutput } from './webui.descriptor';
import { createOutput } from '@falconer/outputs-core';

const signal = (): AbortSignal => new AbortController().signal;

describe('webui envelope', () => {
  it('wraps the event exactly as falcosidekick does, numbers as received', () => {
    const body = formatWebUi(sampleEvent(), ['Slack', 'Webhook']);
    expect(body).toBe(`{"event":${serializeEvent(sampleEvent())},"outputs":["Slack","Webhook"]}`);
    expect(body).toContain('"evt.time":1507591916746609046');
    // what falcosidekick-ui (and Falconer's own /api/v1/events/add) reads back
    const parsed = parseEvent(body);
    expect(parsed.outputs).toEqual(['Slack', 'Webhook']);
    expect(serializeEvent(parsed.event)).toBe(serializeEvent(sampleEvent()));
  });

  it('escapes output names and keeps an empty list', () => {
    expect(formatWebUi(secondEvent(), [])).toMatch(/,"outputs":\[\]\}$/);
    expect(formatWebUi(secondEvent(), ['a"<b>'])).toMatch(/,"outputs":\["a\\"\\u003cb\\u003e"\]\}$/);
  });
});

describe('webui over HTTP', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start();
  });
  afterAll(() => rx.close());

  it('POSTs one envelope per event to <url>/api/v1/events/add', async () => {
    const { output, errors } = createOutput(
      webUiOutput,
      {
        name: 'webui',
        type: 'webui',
        path: 'webui',
        settings: { url: `${rx.url}/`, outputs: 'Slack,Elasticsearch', customheaders: 'X-Team:sec' },
      },
      { version: '1.2.3' },
    );
    expect(errors).toEqual([]);
    rx.respond(() => ({ status: 200 }));
    const before = rx.requests.length;
    expect(await output.send([sampleEvent(), secondEvent()], signal())).toEqual({ ok: true });
    const reqs = rx.requests.slice(before);
    expect(reqs.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/api/v1/events/add'],
      ['POST', '/api/v1/events/add'],
    ]);
    expect(reqs[0]?.text).toBe(formatWebUi(sampleEvent(), ['Slack', 'Elasticsearch']));
    expect(reqs[1]?.text).toBe(formatWebUi(secondEvent(), ['Slack', 'Elasticsearch']));
    expect(reqs[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reqs[0]?.headers['user-agent']).toBe('Falconer/1.2.3');
    expect(reqs[0]?.headers['x-team']).toBe('sec');
    await output.close?.();
  });

  it('stops at the first failure and reports the unsent rest', async () => {
    const { output } = createOutput(
      webUiOutput,
      { name: 'webui', type: 'webui', path: 'webui', settings: { url: rx.url } },
      {},
    );
    rx.respond((_req, i) => ({ status: i % 2 === 0 ? 200 : 503 }));
    const r = await output.send([sampleEvent(), secondEvent(), sampleEvent({ uuid: 'c' })], signal());
    expect(r.ok).toBe(false);
    await output.close?.();
  });

  it('reports every bad setting', () => {
    expect(
      createOutput(webUiOutput, { name: 'webui', type: 'webui', path: 'webui', settings: {} }, {}).errors,
    ).toEqual(['webui.url: required']);
    expect(
      createOutput(
        webUiOutput,
        { name: 'w', type: 'webui', path: 'outputs[3]', settings: { url: 'ftp://x', checkcert: 'maybe' } },
        {},
      ).errors,
    ).toEqual([
      'outputs[3].url: not a URL (expected http:// or https://)',
      'outputs[3].checkcert: expected true or false, got "maybe"',
    ]);
  });
});

outputContract({
  name: 'webui',
  make: (baseUrl) => {
    const u = new URL(baseUrl);
    u.username = 'ui-user';
    u.password = 'ui-password-secret';
    return createOutput(
      webUiOutput,
      {
        name: 'webui',
        type: 'webui',
        path: 'webui',
        settings: { url: u.toString(), customheaders: { 'X-Api-Token': 'webui-token-secret' } },
      },
      {},
    ).output;
  },
  // the URL's credentials go out as Basic auth: their base64 form is a secret too
  secrets: [
    'ui-password-secret',
    'webui-token-secret',
    Buffer.from('ui-user:ui-password-secret').toString('base64'),
  ],
  checkRequest: (req) => {
    expect(req.url).toBe('/api/v1/events/add');
    expect(req.headers['authorization']).toBe(
      `Basic ${Buffer.from('ui-user:ui-password-secret').toString('base64')}`,
    );
    expect(req.headers['x-api-token']).toBe('webui-token-secret');
  },
});
