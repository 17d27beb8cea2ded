import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRouterConfig as loadConfig, redactRouterConfig as redactConfig } from './catalog';

const example = join(import.meta.dirname, 'testdata/falcosidekick-config.yaml');

describe('the router configuration: falcosidekick sections and env names from the descriptors', () => {
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

  it('warns about enabled falcosidekick outputs Falconer does not have', () => {
    const { warnings } = loadConfig({ env: { LOKI_HOSTPORT: 'http://loki:3100' } });
    expect(warnings[0]).toMatch(/^loki:/);
  });

  it('redacts secrets', () => {
    const { config } = loadConfig({ argv: ['--config', example] });
    const text = JSON.stringify(redactConfig(config));
    expect(text).not.toContain('XXXX/YYYY');
    expect(text).not.toContain('Bearer abc');
    expect(readFileSync(example, 'utf8')).toContain('XXXX/YYYY');
  });
});
