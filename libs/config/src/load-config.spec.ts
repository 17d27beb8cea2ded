import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig, type OutputCatalog } from './load-config';

describe('loadConfig', () => {
  it('reads ingest.parseworker (on by default) from the file and from INGEST_PARSEWORKER', () => {
    expect(loadConfig({}).config.ingest.parseworker).toBe(true);
    expect(loadConfig({ yaml: 'ingest: { parseworker: false }\n' }).config.ingest.parseworker).toBe(false);
    expect(loadConfig({ env: { INGEST_PARSEWORKER: 'false' } }).config.ingest.parseworker).toBe(false);
    expect(() => loadConfig({ yaml: 'ingest: { parseworker: sometimes }\n' })).toThrow(/ingest\.parseworker/);
  });

  it('reads redis.spool.maxevents (100 000 by default) from the file and from REDIS_SPOOL_MAXEVENTS', () => {
    expect(loadConfig({}).config.redis.spool.maxevents).toBe(100_000);
    expect(
      loadConfig({ yaml: 'redis: { url: "redis://r:6379/0", spool: { maxevents: 50 } }\n' }).config.redis
        .spool.maxevents,
    ).toBe(50);
    expect(loadConfig({ env: { REDIS_SPOOL_MAXEVENTS: '0' } }).config.redis.spool.maxevents).toBe(0);
    expect(() => loadConfig({ env: { REDIS_SPOOL_MAXEVENTS: '-1' } })).toThrow(/redis\.spool\.maxevents/);
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

  it("redacts Falconer's own secrets, declared secrets of outputs and every header value", () => {
    const catalog: OutputCatalog = {
      sections: [],
      unsupported: [],
      secretKeys: (type) => new Set(type === 'demo' ? ['token', 'nested.key'] : []),
    };
    const { config } = loadConfig({
      yaml: `
redis: { url: "redis://:pw1234@redis:6379/0" }
auth:
  ingest: { tokens: [tok-aaaa], hmacsecret: hmac-bbbb }
  dashboard: { users: [{ username: ann, passwordhash: "$2b$04$nFPvpBuIo5RsJeyvFwz/DO41QYKzcRxBiaTEUU5.TNV.PehtFmC82" }] }
remediation: { secret: rem-dddd }
outputs:
  - name: d
    type: demo
    token: tok-eeee
    nested: { key: key-ffff, plain: visible }
    url: https://user:pw-gggg@host/path
    customheaders: { Cookie: c-hhhh, X-Team: blue-iiii }
`,
    });
    const text = JSON.stringify(redactConfig(config, catalog));
    for (const secret of [
      'pw1234',
      'tok-aaaa',
      'hmac-bbbb',
      'cccc',
      'rem-dddd',
      'tok-eeee',
      'key-ffff',
      'pw-gggg',
      'c-hhhh',
      'blue-iiii',
    ])
      expect(text).not.toContain(secret);
    expect(text).toContain('visible');
    expect(text).toContain('"username":"ann"');
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
