import type { FalcoEvent } from '@falconer/contracts';
import { parseEvent } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { fixture, Receiver } from '@falconer/testing';
import { describe, expect, it } from 'vitest';
import type { SlackConfig } from './slack.config';
import { readSlackConfig, slackOutput } from './slack.descriptor';
import { formatSlack } from './slack.format';

const SECRET_PATH = '/services/T0AAAAAAA/B0BBBBBBB/s3cr3tS3cr3tS3cr3tXyZ';

function cfg(settings: Record<string, unknown>): SlackConfig {
  const { config, errors } = readSlackConfig(
    {
      name: 'slack',
      type: 'slack',
      path: 'slack',
      settings: { webhookurl: `https://hooks.slack.com${SECRET_PATH}`, ...settings },
    },
    {},
  );
  expect(errors).toEqual([]);
  return config;
}

/** falcosidekick's documented sample event (README), as ingest records it. */
function readmeEvent(): FalcoEvent {
  return {
    ...parseEvent(fixture('write-below-binary-dir')).event,
    uuid: '00000000-0000-4000-8000-000000000000',
  };
}

const FIELDS_ALL =
  '[{"title":"rule","value":"Write below binary dir","short":true},{"title":"priority","value":"Error","short":true},' +
  '{"title":"source","value":"syscalls","short":true},{"title":"hostname","value":"localhost","short":true},' +
  '{"title":"fd.name","value":"/bin/hack","short":true},{"title":"proc.cmdline","value":"touch /bin/hack","short":true},' +
  '{"title":"user.name","value":"root","short":true},{"title":"time","value":"2019-05-17 15:31:56.746609046 +0000 UTC","short":false}]';
const OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';
const HEAD =
  '{"username":"Falcosidekick","icon_url":"https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png"';

// Go's json.Encoder in falcosidekick's Client.Post (outputs/client.go) ends each body with a newline.
describe('Slack body for the documented sample event, byte for byte', () => {
  it('outputformat all (default)', () => {
    expect(formatSlack(readmeEvent(), cfg({}))).toBe(
      `${HEAD},"attachments":[{"fallback":"${OUTPUT}","color":"#e20b0b","text":"${OUTPUT}","fields":${FIELDS_ALL},"footer":"https://github.com/falcosecurity/falcosidekick"}]}\n`,
    );
  });

  it('outputformat text: no fields (Go marshals the nil slice as null), no footer', () => {
    expect(formatSlack(readmeEvent(), cfg({ outputformat: 'text' }))).toBe(
      `${HEAD},"attachments":[{"fallback":"${OUTPUT}","color":"#e20b0b","text":"${OUTPUT}","fields":null}]}\n`,
    );
  });

  it('outputformat fields: no attachment text', () => {
    expect(formatSlack(readmeEvent(), cfg({ outputformat: 'fields', footer: 'Falconer' }))).toBe(
      `${HEAD},"attachments":[{"fallback":"${OUTPUT}","color":"#e20b0b","fields":${FIELDS_ALL},"footer":"Falconer"}]}\n`,
    );
  });

  it('messageformat, channel, username, icon; tags joined; long values not short; non-strings left out', () => {
    const body = formatSlack(
      secondEvent(),
      cfg({
        messageformat:
          'Alert: {{ .Rule }} on {{ .Hostname }} ({{ .Priority }}) by {{ index .OutputFields "user.name" }}',
        channel: '#falco',
        username: 'Falconer',
        icon: 'https://example.com/i.png',
      }),
    );
    const parsed = JSON.parse(body);
    expect(Object.keys(parsed)).toEqual(['text', 'username', 'icon_url', 'channel', 'attachments']);
    expect(parsed.text).toBe('Alert: Terminal shell in container on worker-1 (Notice) by root');
    expect(parsed.attachments[0].color).toBe('#5bffb5');
    expect(parsed.attachments[0].fields.map((f: { title: string }) => f.title)).toEqual([
      'rule',
      'priority',
      'source',
      'hostname',
      'tags',
      'container.id',
      'container.image.repository',
      'k8s.ns.name',
      'k8s.pod.name',
      'proc.cmdline',
      'user.name',
      'time',
    ]);
    expect(parsed.attachments[0].fields[4]).toEqual({
      title: 'tags',
      value: 'T1059, container, shell',
      short: true,
    });
    // alert text is escaped for mrkdwn (`<NA>` shows as written), then Go escapes < > & in JSON strings
    expect(body).toContain('user=root \\u0026lt;NA\\u0026gt; \\u0026amp; co');
  });

  it('short is true only for values under 36 characters (counted in runes)', () => {
    const ev = sampleEvent({
      output_fields: Object.assign(Object.create(null), {
        a: 'x'.repeat(35),
        b: 'x'.repeat(36),
        c: 'é'.repeat(35),
      }),
    });
    const fields = JSON.parse(formatSlack(ev, cfg({}))).attachments[0].fields;
    expect(
      fields
        .filter((f: { title: string }) => ['a', 'b', 'c'].includes(f.title))
        .map((f: { short: boolean }) => f.short),
    ).toEqual([true, false, true]);
  });

  it('colours by priority', () => {
    const colours = (
      ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const
    ).map((priority) => JSON.parse(formatSlack(sampleEvent({ priority }), cfg({}))).attachments[0].color);
    expect(colours).toEqual([
      '#e20b0b',
      '#ff5400',
      '#ff5400',
      '#e20b0b',
      '#ffc700',
      '#5bffb5',
      '#68c2ff',
      '#ccfff2',
    ]);
  });

  it('omits hostname and tags fields when empty', () => {
    const fields = JSON.parse(formatSlack(sampleEvent({ hostname: '', tags: [] }), cfg({}))).attachments[0]
      .fields;
    expect(fields.map((f: { title: string }) => f.title).slice(0, 4)).toEqual([
      'rule',
      'priority',
      'source',
      'fd.name',
    ]);
  });

  it('opt-in Block Kit message with a dashboard link', () => {
    const body = JSON.parse(
      formatSlack(sampleEvent(), cfg({ format: 'blocks', dashboardurl: 'https://falconer.example/ui/' })),
    );
    expect(body.text).toBe('Error: Write below binary dir');
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':x: Error: Write below binary dir', emoji: true },
    });
    expect(body.blocks.at(-1).elements[0].url).toBe(
      'https://falconer.example/ui/explorer?event=a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b',
    );
  });
});

describe('Slack configuration', () => {
  it('collects every problem and never echoes the webhook URL', () => {
    const { errors } = readSlackConfig(
      {
        name: 'slack',
        type: 'slack',
        path: 'slack',
        settings: {
          webhookurl: 'hooks.slack.com/services/SECRET',
          outputformat: 'pretty',
          messageformat: '{{ .Rule | upper }}',
          checkcert: 'maybe',
        },
      },
      {},
    );
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBe('slack.webhookurl: not a URL');
    expect(errors.join()).toContain('slack.outputformat: expected all|text|fields');
    expect(errors.join()).toContain('slack.messageformat:');
    expect(errors.join()).toContain('slack.checkcert: expected true or false');
    expect(errors.join()).not.toContain('SECRET');
  });

  it('takes environment strings', () => {
    const c = cfg({ outputformat: 'TEXT', checkcert: 'false', customheaders: 'X-A:1,X-B:2' });
    expect(c.outputformat).toBe('text');
    expect(c.http.checkcert).toBe(false);
    expect(c.http.customHeaders).toEqual({ 'X-A': '1', 'X-B': '2' });
  });
});

describe('Slack over HTTP', () => {
  it('posts the exact body with JSON content type and honours 429 Retry-After as a classified result', async () => {
    const rx = await Receiver.start((_req, i) =>
      i === 0
        ? { status: 200, body: 'ok' }
        : { status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' },
    );
    const { output, errors } = createOutput(
      slackOutput,
      { name: 'slack', type: 'slack', path: 'slack', settings: { webhookurl: `${rx.url}${SECRET_PATH}` } },
      { version: '1.2.3' },
    );
    expect(errors).toEqual([]);
    const ev = readmeEvent();
    expect(await output.send([ev], new AbortController().signal)).toEqual({ ok: true });
    const req = rx.requests[0]!;
    expect(req.url).toBe(SECRET_PATH);
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers['user-agent']).toBe('Falconer/1.2.3');
    expect(req.text).toBe(formatSlack(ev, cfg({})));
    const r = await output.send([ev], new AbortController().signal);
    expect(r).toMatchObject({ ok: false, reason: 'rate_limited', retryable: true, retryAfterMs: 30_000 });
    expect(JSON.stringify(r)).not.toContain('s3cr3t');
    await output.close?.();
    await rx.close();
  });
});

outputContract({
  name: 'slack',
  make: (url) =>
    createOutput(
      slackOutput,
      { name: 'slack', type: 'slack', path: 'slack', settings: { webhookurl: `${url}${SECRET_PATH}` } },
      {},
    ).output,
  secrets: ['s3cr3tS3cr3tS3cr3tXyZ', 'B0BBBBBBB/s3cr3t'],
  okReply: () => ({ status: 200, body: 'ok' }),
  checkRequest: (req) => expect(req.url).toBe(SECRET_PATH),
});

describe('alert text in Slack mrkdwn (issue 20, finding 12)', () => {
  it('escapes <, > and & from the event, so no mention or link comes from an alert', () => {
    const ev = sampleEvent({
      output: 'ping <!channel> see <https://evil.example|Click> & more',
      rule: 'Rule <b>',
      output_fields: { 'proc.cmdline': 'curl <https://evil.example>' },
    });
    for (const format of ['legacy', 'blocks'] as const) {
      const body = JSON.stringify(JSON.parse(formatSlack(ev, cfg({ format }))));
      expect(body, format).not.toContain('<!channel>');
      expect(body, format).not.toContain('<https://evil.example');
      expect(body, format).toContain('&lt;!channel&gt;');
      expect(body, format).toContain('&amp; more');
    }
  });
});
