import type { RecordedRequest } from '@falconer/testing';
import { sampleEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

/**
 * Alerting and log outputs over HTTP, each configured twice — from its falcosidekick YAML section, and
 * from environment variables only — and delivered to a local receiver. `{url}` is the receiver's base.
 */
interface Case {
  type: string;
  yaml: string;
  env: Record<string, string>;
  reply?: number;
  check(req: RecordedRequest): void;
}

const CASES: Case[] = [
  {
    type: 'pagerduty',
    yaml: 'pagerduty:\n  routingkey: rk-yaml-0123456789\n  region: eu\n  endpoint: {url}/v2/enqueue\n',
    env: { PAGERDUTY_ROUTINGKEY: 'rk-yaml-0123456789', PAGERDUTY_ENDPOINT: '{url}/v2/enqueue' },
    reply: 202,
    check: (req) => {
      expect(req.url).toBe('/v2/enqueue');
      expect(JSON.parse(req.text)).toMatchObject({
        routing_key: 'rk-yaml-0123456789',
        event_action: 'trigger',
      });
    },
  },
  {
    type: 'opsgenie',
    yaml: 'opsgenie:\n  apikey: og-key-0123\n  endpoint: {url}/v2/alerts\n',
    env: { OPSGENIE_APIKEY: 'og-key-0123', OPSGENIE_ENDPOINT: '{url}/v2/alerts' },
    check: (req) => {
      expect(req.headers['authorization']).toBe('GenieKey og-key-0123');
      expect(JSON.parse(req.text).priority).toBe('P3');
    },
  },
  {
    type: 'grafana',
    yaml: 'grafana:\n  hostport: {url}\n  apikey: glsa_yaml\n  dashboardid: 4\n  panelid: 2\n',
    env: {
      GRAFANA_HOSTPORT: '{url}',
      GRAFANA_APIKEY: 'glsa_yaml',
      GRAFANA_DASHBOARDID: '4',
      GRAFANA_PANELID: '2',
    },
    check: (req) => {
      expect(req.url).toBe('/api/annotations');
      expect(req.headers['authorization']).toBe('Bearer glsa_yaml');
      expect(JSON.parse(req.text)).toMatchObject({ dashboardId: 4, panelId: 2, time: 1558107116746 });
    },
  },
  {
    type: 'grafanaoncall',
    yaml: 'grafanaoncall:\n  webhookurl: {url}/integrations/v1/formatted_webhook/x/\n  customheaders:\n    X-Team: sec\n',
    env: {
      GRAFANAONCALL_WEBHOOKURL: '{url}/integrations/v1/formatted_webhook/x/',
      GRAFANAONCALL_CUSTOMHEADERS: 'X-Team:sec',
    },
    check: (req) => {
      expect(req.headers['x-team']).toBe('sec');
      expect(JSON.parse(req.text).title).toBe('[Error] Write below binary dir');
    },
  },
  {
    type: 'datadog',
    yaml: 'datadog:\n  apikey: dd-key-0123\n  host: {url}\n',
    env: { DATADOG_APIKEY: 'dd-key-0123', DATADOG_HOST: '{url}' },
    check: (req) => {
      expect(req.url).toBe('/api/v1/events?api_key=dd-key-0123');
      expect(JSON.parse(req.text).title).toBe('Write below binary dir');
    },
  },
  {
    type: 'datadoglogs',
    yaml: 'datadoglogs:\n  apikey: dd-key-0123\n  host: {url}/\n  service: falco-svc\n',
    env: { DATADOGLOGS_APIKEY: 'dd-key-0123', DATADOGLOGS_HOST: '{url}/', DATADOGLOGS_SERVICE: 'falco-svc' },
    check: (req) => {
      expect(req.url).toBe('/api/v2/logs');
      expect(req.headers['dd-api-key']).toBe('dd-key-0123');
      expect(JSON.parse(req.text)).toMatchObject({ ddsource: 'falco', service: 'falco-svc' });
    },
  },
  {
    type: 'splunk',
    yaml: 'splunk:\n  host: {url}/services/collector/event\n  token: hec-tok\n',
    env: { SPLUNK_HOST: '{url}/services/collector/event', SPLUNK_TOKEN: 'hec-tok' },
    check: (req) => {
      expect(req.headers['authorization']).toBe('Splunk hec-tok');
      expect(JSON.parse(req.text).sourcetype).toBe('falcosidekick');
    },
  },
  {
    type: 'sumologic',
    yaml: 'sumologic:\n  receiverurl: {url}/receiver/v1/http/abc\n  sourcecategory: sec\n',
    env: { SUMOLOGIC_RECEIVERURL: '{url}/receiver/v1/http/abc', SUMOLOGIC_SOURCECATEGORY: 'sec' },
    check: (req) => {
      expect(req.headers['x-sumo-category']).toBe('sec');
      expect(JSON.parse(req.text).rule).toBe('Write below binary dir');
    },
  },
  {
    type: 'openobserve',
    yaml: 'openobserve:\n  hostport: {url}\n  organizationname: org1\n  streamname: s1\n  username: u\n  password: p\n',
    env: {
      OPENOBSERVE_HOSTPORT: '{url}',
      OPENOBSERVE_ORGANIZATIONNAME: 'org1',
      OPENOBSERVE_STREAMNAME: 's1',
      OPENOBSERVE_USERNAME: 'u',
      OPENOBSERVE_PASSWORD: 'p',
    },
    check: (req) => {
      expect(req.url).toBe('/api/org1/s1/_multi');
      expect(req.headers['authorization']).toBe('Basic dTpw');
    },
  },
  {
    type: 'zincsearch',
    yaml: 'zincsearch:\n  hostport: {url}\n  index: idx\n',
    env: { ZINCSEARCH_HOSTPORT: '{url}', ZINCSEARCH_INDEX: 'idx' },
    check: (req) => expect(req.url).toBe('/api/idx/_doc'),
  },
  {
    type: 'quickwit',
    yaml: 'quickwit:\n  hostport: {url}\n  apiendpoint: api/v1\n  index: idx\n',
    env: { QUICKWIT_HOSTPORT: '{url}', QUICKWIT_INDEX: 'idx' },
    check: (req) => expect(req.url).toBe('/api/v1/idx/ingest'),
  },
  {
    type: 'dynatrace',
    yaml: 'dynatrace:\n  apitoken: dt0c01.abc\n  apiurl: {url}/api\n',
    env: { DYNATRACE_APITOKEN: 'dt0c01.abc', DYNATRACE_APIURL: '{url}/api' },
    check: (req) => {
      expect(req.url).toBe('/api/v2/logs/ingest');
      expect(req.headers['authorization']).toBe('Api-Token dt0c01.abc');
      expect(JSON.parse(req.text)[0]['event.provider']).toBe('Falco');
    },
  },
  {
    type: 'otlplogs',
    yaml: 'otlp:\n  logs:\n    endpoint: {url}/v1/logs\n    protocol: http/json\n    headers: x-team=sec\n',
    env: {
      OTLP_LOGS_ENDPOINT: '{url}/v1/logs',
      OTLP_LOGS_PROTOCOL: 'http/json',
      OTLP_LOGS_HEADERS: 'x-team=sec',
    },
    check: (req) => {
      expect(req.url).toBe('/v1/logs');
      expect(req.headers['x-team']).toBe('sec');
      expect(JSON.parse(req.text).resourceLogs[0].scopeLogs[0].logRecords).toHaveLength(1);
    },
  },
  {
    type: 'otlptraces',
    yaml: 'otlp:\n  traces:\n    endpoint: {url}/v1/traces\n    duration: 2000\n',
    env: { OTLP_TRACES_ENDPOINT: '{url}/v1/traces', OTLP_TRACES_DURATION: '2000' },
    check: (req) => {
      expect(req.url).toBe('/v1/traces');
      expect(req.headers['content-type']).toBe('application/x-protobuf');
    },
  },
];

describe('HTTP alerting and log outputs configured like falcosidekick', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start();
  });
  afterAll(() => rx.close());

  const deliver = async (c: Case, from: { yaml: string } | { env: Record<string, string> }) => {
    const { config } = loadRouterConfig('yaml' in from ? { env: {}, yaml: from.yaml } : from);
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    expect(instances.map((i) => i.type)).toEqual([c.type]);
    rx.respond(() => ({ status: c.reply ?? 200, body: '{}' }));
    const out = instances[0]!.output;
    expect(await out.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    await out.close?.();
    c.check(rx.requests.at(-1)!);
  };

  for (const c of CASES) {
    it(`${c.type} from its YAML section`, () => deliver(c, { yaml: c.yaml.replaceAll('{url}', rx.url) }));
    it(`${c.type} from environment variables only`, () =>
      deliver(c, {
        env: Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, v.replaceAll('{url}', rx.url)])),
      }));
  }
});
