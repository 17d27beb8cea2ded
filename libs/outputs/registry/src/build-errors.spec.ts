import type { OutputInstanceConfig } from '@falconer/config';
import { describe, expect, it } from 'vitest';
import { buildOutputs, clientTls, OUTPUTS } from './registry';

const entry = (over: Partial<OutputInstanceConfig>): OutputInstanceConfig => ({
  name: 'x',
  type: 'webhook',
  settings: { address: 'http://127.0.0.1:9/x' },
  filter: {},
  delivery: {},
  path: 'outputs[0]',
  ...over,
});

describe('buildOutputs collects every problem, never throws on the first', () => {
  it('unknown types, bad settings, bad filters and duplicate names, all at once', () => {
    const { instances, errors } = buildOutputs([
      entry({ name: 'a', type: 'carrier-pigeon', path: 'outputs[0]' }),
      entry({
        name: 'b',
        type: 'slack',
        settings: { webhookurl: 'nope' },
        filter: { minimumpriority: 'loud' },
        path: 'outputs[1]',
      }),
      entry({
        name: 'c',
        type: 'elasticsearch',
        settings: { hostport: 'http://es:9200', suffix: 'weekly' },
        path: 'outputs[2]',
      }),
      entry({ name: 'c', path: 'outputs[3]' }),
      entry({ name: 'ok', path: 'outputs[4]', delivery: { retries: 3 }, aggregate: { window: '60s' } }),
    ]);
    expect(errors).toEqual([
      `outputs[0].type: unknown output type "carrier-pigeon" (expected ${OUTPUTS.map((d) => d.type)
        .sort()
        .join('|')})`,
      'outputs[1].webhookurl: not a URL',
      'outputs[1].filter.minimumpriority: unknown priority "loud" (expected emergency|alert|critical|error|warning|notice|informational|info|debug)',
      'outputs[2].suffix: expected daily|monthly|annually|none, got "weekly"',
      'outputs[3].name: "c" is already used by outputs[2]',
    ]);
    expect(instances.map((i) => i.name)).toEqual(['ok']);
    expect(instances[0]?.delivery).toEqual({ retries: 3 });
    expect(instances[0]?.aggregate).toEqual({ window: '60s' });
  });

  it('warns about keys an output does not know, without refusing the file', () => {
    const { instances, errors, warnings } = buildOutputs([
      entry({ name: 'w', settings: { address: 'http://127.0.0.1:9/x', adress2: 'typo', checkcert: false } }),
    ]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual(['outputs[0].adress2: unknown setting of webhook, ignored']);
    expect(instances.map((i) => i.name)).toEqual(['w']);
  });

  it('never echoes a secret setting in a message', () => {
    const { errors } = buildOutputs([
      entry({
        type: 'elasticsearch',
        settings: { hostport: 'http://es:9200', password: { nested: 'hunter22' } },
      }),
    ]);
    expect(errors).toEqual(['outputs[0].password: expected a string']);
  });

  it('maps the loaded TLS settings for outputs', () => {
    expect(
      clientTls({
        tlsclient: { cacertfile: '/ca.pem' },
        mutualtlsclient: { certfile: '/c.pem', keyfile: '/k.pem', cacertfile: '' },
      }),
    ).toEqual({
      cacertfile: '/ca.pem',
      mutualtls: { certfile: '/c.pem', keyfile: '/k.pem' },
    });
    expect(
      clientTls({
        tlsclient: { cacertfile: '' },
        mutualtlsclient: { certfile: '', keyfile: '', cacertfile: '' },
      }),
    ).toEqual({});
  });

  it("uses falcosidekick's mutualtlsfilespath when mutualtlsclient.* is not set", () => {
    expect(
      clientTls({
        tlsclient: { cacertfile: '' },
        mutualtlsclient: { certfile: '', keyfile: '', cacertfile: '' },
        mutualtlsfilespath: '/etc/certs',
      }),
    ).toEqual({
      mutualtls: {
        certfile: '/etc/certs/client.crt',
        keyfile: '/etc/certs/client.key',
        cacertfile: '/etc/certs/ca.crt',
      },
    });
  });
});
