import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from './load-config';

const example = join(import.meta.dirname, 'testdata/falcosidekick-config.yaml');

describe('loadConfig', () => {
  it('loads a falcosidekick config_example-style file unchanged', () => {
    const { config, warnings } = loadConfig({ argv: ['--config', example] });
    expect(warnings).toEqual([]);
    expect(config.listenport).toBe(2801);
    expect(config.customfields).toEqual({ Akey: 'AValue', Bkey: 'BValue' });
    expect(config.customtags).toEqual(['tagA', 'tagB']);
    expect(config.templatedfields['Dkey']).toBe('{{ or (index . "k8s.ns.labels.foo") "bar" }}');
    expect(config.bracketreplacer).toBe('_');
    expect(config.outputs.map((o) => `${o.name}:${o.type}`)).toEqual([
      'slack:slack',
      'elasticsearch:elasticsearch',
      'influxdb:influxdb',
      'webhook:webhook',
    ]);
    const es = config.outputs.find((o) => o.type === 'elasticsearch');
    expect(es?.settings['batching']).toEqual({ enabled: true, batchsize: 5242880, flushinterval: '1s' });
    // names inside customheaders keep their case, section keys are lower-cased
    expect(es?.settings['customheaders']).toEqual({ 'X-Custom': 'abc' });
    const webhook = config.outputs.find((o) => o.type === 'webhook');
    expect(webhook?.filter).toEqual({ minimumpriority: 'warning' });
    expect(webhook?.settings['minimumpriority']).toBeUndefined();
  });

  it('takes everything from falcosidekick environment variables, environment winning over the file', () => {
    const { config } = loadConfig({
      argv: ['-c', example],
      env: {
        LISTENPORT: '3000',
        SLACK_WEBHOOKURL: 'https://hooks.slack.com/services/ENV',
        SLACK_MINIMUMPRIORITY: 'error',
        ELASTICSEARCH_BATCHING_ENABLED: 'false',
        WEBHOOK_CUSTOMHEADERS: 'X-Team:blue,Authorization:Bearer zzz',
        CUSTOMFIELDS: 'Ckey:CValue',
        CUSTOMTAGS: 'x,y',
        PATH: '/usr/bin',
      },
    });
    expect(config.listenport).toBe(3000);
    const slack = config.outputs.find((o) => o.name === 'slack');
    expect(slack?.settings['webhookurl']).toBe('https://hooks.slack.com/services/ENV');
    expect(slack?.filter['minimumpriority']).toBe('error');
    expect(
      (
        config.outputs.find((o) => o.name === 'elasticsearch')?.settings['batching'] as Record<
          string,
          unknown
        >
      )['enabled'],
    ).toBe('false');
    expect(config.outputs.find((o) => o.name === 'webhook')?.settings['customheaders']).toBe(
      'X-Team:blue,Authorization:Bearer zzz',
    );
    expect(config.customfields).toEqual({ Ckey: 'CValue' });
    expect(config.customtags).toEqual(['x', 'y']);
  });

  it('configures outputs from the environment alone', () => {
    const { config } = loadConfig({
      env: {
        WEBHOOK_ADDRESS: 'http://127.0.0.1:9/x',
        INFLUXDB_HOSTPORT: 'http://127.0.0.1:8086',
        REDIS_URL: 'redis://127.0.0.1:6379/2',
      },
    });
    expect(config.outputs.map((o) => o.name).sort()).toEqual(['influxdb', 'webhook']);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379/2');
    expect(loadConfig({ env: { REMEDIATION_SECRET: 's3cret' } }).config.remediation.secret).toBe('s3cret');
  });

  it('reads ingest.parseworker (on by default) from the file and from INGEST_PARSEWORKER', () => {
    expect(loadConfig({}).config.ingest.parseworker).toBe(true);
    expect(loadConfig({ yaml: 'ingest: { parseworker: false }\n' }).config.ingest.parseworker).toBe(false);
    expect(loadConfig({ env: { INGEST_PARSEWORKER: 'false' } }).config.ingest.parseworker).toBe(false);
    expect(() => loadConfig({ yaml: 'ingest: { parseworker: sometimes }\n' })).toThrow(/ingest\.parseworker/);
  });

  it('reads the outputs: list with several instances of one type', () => {
    const { config } = loadConfig({
      yaml: `
outputs:
  - name: slack-prod-critical
    type: slack
    webhookurl: https://hooks.slack.com/services/A
    filter: { minimumpriority: critical, tags: { any: [container] } }
  - name: soc-webhook
    type: Webhook
    address: https://soc.example/falco
    delivery: { retries: 10, timeout: 5s }
`,
    });
    expect(config.outputs).toHaveLength(2);
    expect(config.outputs[0]?.filter).toEqual({ minimumpriority: 'critical', tags: { any: ['container'] } });
    expect(config.outputs[1]?.type).toBe('webhook');
    expect(config.outputs[1]?.delivery).toEqual({ retries: 10, timeout: '5s' });
  });

  it('warns about enabled falcosidekick outputs Falconer does not have', () => {
    const { warnings } = loadConfig({ env: { LOKI_HOSTPORT: 'http://loki:3100' } });
    expect(warnings[0]).toMatch(/^loki:/);
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      loadConfig({
        yaml: 'listenport: banana\ndebug: maybe\nstore: { ttl: forever }\noutputs:\n  - type: slack\n  - name: a\n    type: webhook\n  - name: a\n    type: webhook\n',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^listenport: /),
        expect.stringMatching(/^debug: /),
        expect.stringMatching(/^store\.ttl: /),
        'outputs[0].name: required',
        'outputs[2].name: "a" is used twice',
      ]),
    );
  });

  it('redacts secrets', () => {
    const { config } = loadConfig({ argv: ['--config', example] });
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toContain('XXXX/YYYY');
    expect(text).not.toContain('Bearer abc');
    expect(readFileSync(example, 'utf8')).toContain('XXXX/YYYY');
  });

  it('reads the security settings with safe defaults (issue 20)', () => {
    const { config } = loadConfig({});
    expect(config.ui).toMatchObject({ open: false, allowedorigins: [] });
    expect(config.auth.dashboard).toEqual({ users: [], sessionttlMs: 12 * 3_600_000 });
    expect(config.auth.ingest.allowbrowsers).toBe(false);
    expect(config.metrics).toMatchObject({ auth: 'users', token: '', labelbytes: 128, maxseries: 1000 });
    expect(config.live).toEqual({ maxconnections: 200, maxsubscriptions: 200, bufferbytes: 256 * 1024 });
    expect(config.limits.batchbytes).toBe(8 * config.limits.bodybytes);
    expect(config.store.maxbytes).toBe(256 * 1024 * 1024);
    const env = loadConfig({
      env: {
        UI_OPEN: 'true',
        UI_ALLOWEDORIGINS: 'https://ops.example/',
        METRICS_AUTH: 'none',
        LIMITS_BATCHBYTES: '4096',
      },
    }).config;
    expect(env.ui).toMatchObject({ open: true, allowedorigins: ['https://ops.example'] });
    expect(env.metrics.auth).toBe('none');
    expect(env.limits.batchbytes).toBe(4096);
    expect(() => loadConfig({ env: { METRICS_AUTH: 'token' } })).toThrow(
      /metrics\.auth: "token" needs metrics\.token/,
    );
    expect(() => loadConfig({ env: { METRICS_AUTH: 'maybe' } })).toThrow(/metrics\.auth: expected one of/);
  });
});
