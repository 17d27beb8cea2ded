import { loadRouterConfig } from './catalog';
import type { Output } from '@falconer/outputs-core';
import { sampleEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutputs } from './registry';
import { readDeliverySettings } from '@falconer/delivery';

/** What each of the four outputs sends for the sample event, seen at one local receiver. */
async function sendAll(outputs: Output[]): Promise<void> {
  for (const o of outputs) {
    await o.init?.(new AbortController().signal);
    expect(await o.send([sampleEvent()], new AbortController().signal), o.name).toEqual({ ok: true });
    await o.close?.();
  }
}

describe('all four outputs configured without code changes', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start((req) =>
      req.method === 'GET'
        ? { status: 404, body: '{}' }
        : { status: req.url.startsWith('/write') ? 204 : 200, body: '{}' },
    );
  });
  afterAll(() => rx.close());

  const expectRequests = (): void => {
    const seen = rx.requests.map((r) => `${r.method} ${r.url}`);
    expect(seen).toEqual([
      'POST /services/T1/B1/XYZ',
      'POST /falco-2019.05.17/_doc',
      'POST /write?db=alerts&u=bob&p=pw&precision=ms',
      'POST /hook',
    ]);
    const [slack, es, influx, hook] = rx.requests;
    expect(JSON.parse(slack!.text).channel).toBe('#sec');
    expect(es!.headers['authorization']).toBe('APIKey k3y');
    expect(influx!.text).toMatch(/ 1558107116746$/);
    expect(hook!.method).toBe('POST');
    expect(hook!.headers['x-team']).toBe('blue');
    expect(hook!.headers['x-falconer-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  };

  it('from a falcosidekick-style YAML file', async () => {
    rx.requests.length = 0;
    const { config } = loadRouterConfig({
      env: {},
      yaml: `
slack:
  webhookurl: "${rx.url}/services/T1/B1/XYZ"
  channel: "#sec"
  minimumpriority: warning
elasticsearch:
  hostport: ${rx.url}
  apikey: k3y
  suffix: daily
influxdb:
  hostport: ${rx.url}
  database: alerts
  user: bob
  password: pw
  precision: ms
webhook:
  address: ${rx.url}/hook
  customHeaders:
    X-Team: blue
  signing:
    secret: s3cret-value
`,
    });
    const { instances, errors } = buildOutputs(config.outputs, {});
    expect(errors).toEqual([]);
    expect(instances.map((i) => `${i.name}:${i.type}:${i.filterText}`)).toEqual([
      'slack:slack:priority ≥ Warning',
      'elasticsearch:elasticsearch:every event',
      'influxdb:influxdb:every event',
      'webhook:webhook:every event',
    ]);
    await sendAll(instances.map((i) => i.output));
    expectRequests();
  });

  it('from environment variables only', async () => {
    rx.requests.length = 0;
    const { config } = loadRouterConfig({
      env: {
        SLACK_WEBHOOKURL: `${rx.url}/services/T1/B1/XYZ`,
        SLACK_CHANNEL: '#sec',
        SLACK_MINIMUMPRIORITY: 'info',
        ELASTICSEARCH_HOSTPORT: rx.url,
        ELASTICSEARCH_APIKEY: 'k3y',
        INFLUXDB_HOSTPORT: rx.url,
        INFLUXDB_DATABASE: 'alerts',
        INFLUXDB_USER: 'bob',
        INFLUXDB_PASSWORD: 'pw',
        INFLUXDB_PRECISION: 'ms',
        WEBHOOK_ADDRESS: `${rx.url}/hook`,
        WEBHOOK_CUSTOMHEADERS: 'X-Team:blue',
        WEBHOOK_SIGNING_SECRET: 's3cret-value',
        WEBHOOK_MAXCONCURRENTREQUESTS: '2',
      },
    });
    const { instances, errors } = buildOutputs(config.outputs, {});
    expect(errors).toEqual([]);
    expect(instances.map((i) => i.type)).toEqual(['slack', 'elasticsearch', 'influxdb', 'webhook']);
    expect(instances[0]?.filterText).toBe('priority ≥ Informational');
    // the delivery layer reads (and bounds) it as the output's concurrency
    expect(instances[3]?.delivery).toEqual({ maxconcurrentrequests: '2' });
    expect(readDeliverySettings(instances[3]?.delivery ?? {}, 'webhook').settings.concurrency).toBe(2);
    await sendAll(instances.map((i) => i.output));
    expectRequests();
  });
});
