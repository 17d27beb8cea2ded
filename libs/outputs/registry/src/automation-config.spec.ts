import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import {
  canConnect,
  FakeKubeObjects,
  Receiver,
  serviceAvailable,
  type RecordedRequest,
} from '@falconer/testing';
import { SAMPLE_EVENT_JSON, sampleEvent } from '@falconer/outputs-testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

/**
 * The automation outputs configured as falcosidekick users do — from its YAML section, and separately
 * from its environment variables only — each delivering the sample event to a local receiver.
 */
interface Case {
  type: string;
  yaml: (url: string) => string;
  env: (url: string) => Record<string, string>;
  check: (req: RecordedRequest) => void;
}

const CASES: Case[] = [
  {
    type: 'cloudevents',
    yaml: (url) => `cloudevents:\n  address: ${url}/ce\n  extensions:\n    cluster: prod\n`,
    env: (url) => ({ CLOUDEVENTS_ADDRESS: `${url}/ce`, CLOUDEVENTS_EXTENSIONS: 'cluster:prod' }),
    check: (req) => {
      expect(req.url).toBe('/ce');
      expect(req.headers['ce-cluster']).toBe('prod');
      expect(req.headers['ce-rule']).toBe('Write below binary dir');
    },
  },
  {
    type: 'nodered',
    yaml: (url) =>
      `nodered:\n  address: ${url}/nr\n  user: u\n  password: p\n  customheaders:\n    X-Flow: a\n`,
    env: (url) => ({
      NODERED_ADDRESS: `${url}/nr`,
      NODERED_USER: 'u',
      NODERED_PASSWORD: 'p',
      NODERED_CUSTOMHEADERS: 'X-Flow:a',
    }),
    check: (req) => {
      expect(req.url).toBe('/nr');
      expect(req.headers['authorization']).toBe('Basic dTpw');
      expect(req.headers['x-flow']).toBe('a');
      expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n');
    },
  },
  {
    type: 'n8n',
    yaml: (url) => `n8n:\n  address: ${url}/n8n\n  headerauthname: X-Key\n  headerauthvalue: v\n`,
    env: (url) => ({ N8N_ADDRESS: `${url}/n8n`, N8N_HEADERAUTHNAME: 'X-Key', N8N_HEADERAUTHVALUE: 'v' }),
    check: (req) => {
      expect(req.url).toBe('/n8n');
      expect(req.headers['x-key']).toBe('v');
    },
  },
  {
    type: 'tekton',
    yaml: (url) => `tekton:\n  eventlistener: ${url}/el\n`,
    env: (url) => ({ TEKTON_EVENTLISTENER: `${url}/el` }),
    check: (req) => {
      expect(req.url).toBe('/el');
      expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n');
    },
  },
  {
    type: 'openfaas',
    yaml: (url) => `openfaas:\n  functionname: fn\n  endpoint: ${url}/function/fn.openfaas-fn\n`,
    env: (url) => ({ OPENFAAS_FUNCTIONNAME: 'fn', OPENFAAS_ENDPOINT: `${url}/function/fn.openfaas-fn` }),
    check: (req) => expect(req.url).toBe('/function/fn.openfaas-fn'),
  },
  {
    type: 'fission',
    yaml: (url) => `fission:\n  function: fn\n  endpoint: ${url}/fission-function/fn\n`,
    env: (url) => ({ FISSION_FUNCTION: 'fn', FISSION_ENDPOINT: `${url}/fission-function/fn` }),
    check: (req) => expect(req.headers['event-id']).toBeDefined(),
  },
  {
    type: 'kubeless',
    yaml: (url) => `kubeless:\n  function: fn\n  namespace: ns\n  endpoint: ${url}/\n`,
    env: (url) => ({ KUBELESS_FUNCTION: 'fn', KUBELESS_NAMESPACE: 'ns', KUBELESS_ENDPOINT: `${url}/` }),
    check: (req) => expect(req.headers['event-namespace']).toBe('ns'),
  },
];

describe('automation outputs configured from falcosidekick YAML or env', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200 }));
  });
  afterAll(() => rx.close());

  for (const c of CASES) {
    for (const from of ['yaml', 'env'] as const) {
      it(`${c.type} from ${from}`, async () => {
        const { config } = loadRouterConfig(
          from === 'yaml' ? { env: {}, yaml: c.yaml(rx.url) } : { env: c.env(rx.url) },
        );
        const { instances, errors } = buildOutputs(config.outputs);
        expect(errors).toEqual([]);
        const mine = instances.filter((i) => i.type === c.type);
        expect(mine.map((i) => i.name)).toEqual([c.type]);
        const output = mine[0]!.output;
        const before = rx.requests.length;
        expect(await output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
        expect(rx.requests.length).toBe(before + 1);
        c.check(rx.requests.at(-1)!);
        await output.close?.();
      });
    }
  }
});

describe('policyreport configured from falcosidekick YAML or env', () => {
  let api: FakeKubeObjects;
  beforeAll(async () => {
    await import('@kubernetes/client-node'); // loaded by the output's first send
    api = await FakeKubeObjects.start();
  }, 60_000);
  afterAll(() => api.close());

  for (const from of ['yaml', 'env'] as const) {
    it(`from ${from}: maxevents applies to the ClusterPolicyReport in the (fake) API`, async () => {
      api.objects.clear();
      const kubeconfig = api.writeKubeconfig();
      const { config } = loadRouterConfig(
        from === 'yaml'
          ? { env: {}, yaml: `policyreport:\n  enabled: true\n  kubeconfig: ${kubeconfig}\n  maxevents: 2\n` }
          : {
              env: {
                POLICYREPORT_ENABLED: 'true',
                POLICYREPORT_KUBECONFIG: kubeconfig,
                POLICYREPORT_MAXEVENTS: '2',
              },
            },
      );
      const { instances, errors } = buildOutputs(config.outputs);
      expect(errors).toEqual([]);
      const output = instances.find((i) => i.type === 'policyreport')!.output;
      for (const rule of ['a', 'b', 'c']) {
        expect(await output.send([sampleEvent({ rule })], new AbortController().signal)).toEqual({
          ok: true,
        });
      }
      const report = api.get(
        '/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/falco-cluster-policy-report',
      )!;
      expect((report['results'] as { rule: string }[]).map((r) => r.rule)).toEqual(['b', 'c']);
    });
  }

  it('stays off with POLICYREPORT_ENABLED=false (or 0), as with `enabled: false` in the file', () => {
    const kubeconfig = api.writeKubeconfig();
    for (const env of [
      { POLICYREPORT_ENABLED: 'false', POLICYREPORT_KUBECONFIG: kubeconfig },
      { POLICYREPORT_ENABLED: '0' },
    ]) {
      const { config } = loadRouterConfig({ env });
      expect(config.outputs.map((o) => o.type)).not.toContain('policyreport');
    }
    const fromFile = loadRouterConfig({ env: {}, yaml: 'policyreport:\n  enabled: false\n' });
    expect(fromFile.config.outputs.map((o) => o.type)).not.toContain('policyreport');
    const on = loadRouterConfig({
      env: { POLICYREPORT_ENABLED: 'TRUE', POLICYREPORT_KUBECONFIG: kubeconfig },
    });
    expect(on.config.outputs.map((o) => o.type)).toContain('policyreport');
  });
});

const hasPg = await serviceAvailable('PostgreSQL on 127.0.0.1:5432', () => canConnect(5432));

describe.skipIf(!hasPg)('timescaledb configured from falcosidekick YAML or env', () => {
  const table = `falconer_cfg_${process.pid}_${Date.now().toString(36)}`;
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(
      `CREATE TABLE ${table} (time TIMESTAMPTZ NOT NULL, rule TEXT, priority TEXT, source TEXT, output TEXT, tags TEXT, hostname TEXT, team TEXT)`,
    );
  });
  afterAll(async () => {
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    await admin.end();
  });

  for (const from of ['yaml', 'env'] as const) {
    it(`from ${from}: a customfields key becomes a column`, async () => {
      const { config } = loadRouterConfig(
        from === 'yaml'
          ? {
              env: {},
              yaml: `timescaledb:\n  host: 127.0.0.1\n  password: ""\n  database: postgres\n  hypertablename: ${table}\n`,
            }
          : {
              env: {
                TIMESCALEDB_HOST: '127.0.0.1',
                TIMESCALEDB_PASSWORD: '',
                TIMESCALEDB_DATABASE: 'postgres',
                TIMESCALEDB_HYPERTABLENAME: table,
              },
            },
      );
      const { instances, errors } = buildOutputs(config.outputs, { customFieldKeys: ['team'] });
      expect(errors).toEqual([]);
      const output = instances.find((i) => i.type === 'timescaledb')!.output;
      const ev = sampleEvent({
        rule: `from-${from}`,
        output_fields: { ...sampleEvent().output_fields, team: 'blue' },
      });
      expect(await output.send([ev], new AbortController().signal)).toEqual({ ok: true });
      await output.close?.();
      const { rows } = await admin.query(`SELECT team FROM ${table} WHERE rule = $1`, [`from-${from}`]);
      expect(rows).toEqual([{ team: 'blue' }]);
    });
  }
});

describe('smtp configured from falcosidekick YAML or env', () => {
  const mails: string[] = [];
  let server: SMTPServer;
  let port = 0;
  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      closeTimeout: 200,
      onAuth: (auth, _s, cb) => cb(null, { user: auth.username }),
      onData: (stream, _s, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks).toString('utf8'));
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const from of ['yaml', 'env'] as const) {
    it(`from ${from}: mails the event`, async () => {
      const { config } = loadRouterConfig(
        from === 'yaml'
          ? {
              env: {},
              yaml: `smtp:\n  hostport: 127.0.0.1:${port}\n  tls: false\n  user: u\n  password: p\n  from: a@example.com\n  to: b@example.com\n  outputformat: text\n`,
            }
          : {
              env: {
                SMTP_HOSTPORT: `127.0.0.1:${port}`,
                SMTP_TLS: 'false',
                SMTP_USER: 'u',
                SMTP_PASSWORD: 'p',
                SMTP_FROM: 'a@example.com',
                SMTP_TO: 'b@example.com',
                SMTP_OUTPUTFORMAT: 'text',
              },
            },
      );
      const { instances, errors } = buildOutputs(config.outputs);
      expect(errors).toEqual([]);
      const output = instances.find((i) => i.type === 'smtp')!.output;
      expect(
        await output.send([sampleEvent({ rule: `mail-${from}` })], new AbortController().signal),
      ).toEqual({ ok: true });
      await output.close?.();
      expect(mails.at(-1)).toContain(`Rule: mail-${from}\r\n`);
    });
  }
});

describe('syslog configured from falcosidekick YAML or env', () => {
  for (const from of ['yaml', 'env'] as const) {
    it(`from ${from}: a UDP datagram with the event's CEF line`, async () => {
      const udp = createSocket('udp4');
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
      const port = udp.address().port;
      const got = new Promise<string>((resolve) => udp.once('message', (m) => resolve(m.toString('utf8'))));
      const { config } = loadRouterConfig(
        from === 'yaml'
          ? {
              env: {},
              yaml: `syslog:\n  host: 127.0.0.1\n  port: "${port}"\n  protocol: udp\n  format: cef\n`,
            }
          : {
              env: {
                SYSLOG_HOST: '127.0.0.1',
                SYSLOG_PORT: String(port),
                SYSLOG_PROTOCOL: 'udp',
                SYSLOG_FORMAT: 'cef',
              },
            },
      );
      const { instances, errors } = buildOutputs(config.outputs);
      expect(errors).toEqual([]);
      const output = instances.find((i) => i.type === 'syslog')!.output;
      expect(await output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
      expect(await got).toMatch(
        /^<3>\S+ \S+ Falco\[\d+\]: CEF:0\|Falcosecurity\|Falco\|1\.0\|Falco Event\|Write below binary dir\|7\|uuid=/,
      );
      await output.close?.();
      udp.close();
    });
  }
});
