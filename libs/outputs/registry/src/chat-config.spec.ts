import { sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { formatCliq } from '@falconer/outputs-cliq';
import { formatDiscord } from '@falconer/outputs-discord';
import { formatGotify } from '@falconer/outputs-gotify';
import { formatGoogleChat } from '@falconer/outputs-googlechat';
import { formatMattermost } from '@falconer/outputs-mattermost';
import { formatRocketChat } from '@falconer/outputs-rocketchat';
import { formatTelegram } from '@falconer/outputs-telegram';
import { formatWebex } from '@falconer/outputs-webex';
import { formatTeamsMessageCard } from '@falconer/outputs-teams';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const ICON =
  'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png';

interface ChatCase {
  type: string;
  /** The falcosidekick section, given the receiver URL. */
  yaml(url: string): string;
  /** The same configuration as falcosidekick environment variables. */
  env(url: string): Record<string, string>;
  /** What arrives: path and exact body of the sample event. */
  path: string;
  body: string;
  headers?: Record<string, string>;
}

const CASES: ChatCase[] = [
  {
    type: 'teams',
    yaml: (url) => `teams:\n  webhookurl: ${url}/teams/s3cr3t\n  outputformat: all\n`,
    env: (url) => ({ TEAMS_WEBHOOKURL: `${url}/teams/s3cr3t`, TEAMS_OUTPUTFORMAT: 'all' }),
    path: '/teams/s3cr3t',
    body: formatTeamsMessageCard(sampleEvent(), { activityimage: ICON, outputformat: 'all' }),
  },
  {
    type: 'discord',
    yaml: (url) => `discord:\n  webhookurl: ${url}/api/webhooks/1/s3cr3t\n`,
    env: (url) => ({ DISCORD_WEBHOOKURL: `${url}/api/webhooks/1/s3cr3t` }),
    path: '/api/webhooks/1/s3cr3t',
    body: formatDiscord(sampleEvent(), ICON),
  },
  {
    type: 'mattermost',
    yaml: (url) => `mattermost:\n  webhookurl: ${url}/hooks/s3cr3t\n  outputformat: text\n`,
    env: (url) => ({ MATTERMOST_WEBHOOKURL: `${url}/hooks/s3cr3t`, MATTERMOST_OUTPUTFORMAT: 'text' }),
    path: '/hooks/s3cr3t',
    body: formatMattermost(sampleEvent(), {
      username: 'Falcosidekick',
      icon: ICON,
      footer: '',
      outputformat: 'text',
    }),
  },
  {
    type: 'rocketchat',
    yaml: (url) => `rocketchat:\n  webhookurl: ${url}/hooks/a/s3cr3t\n  username: Falconer\n`,
    env: (url) => ({ ROCKETCHAT_WEBHOOKURL: `${url}/hooks/a/s3cr3t`, ROCKETCHAT_USERNAME: 'Falconer' }),
    path: '/hooks/a/s3cr3t',
    body: formatRocketChat(sampleEvent(), {
      username: 'Falconer',
      icon: ICON,
      footer: '',
      outputformat: 'all',
    }),
  },
  {
    type: 'googlechat',
    yaml: (url) => `googlechat:\n  webhookurl: ${url}/v1/spaces/A/messages?key=k&token=s3cr3t\n`,
    env: (url) => ({ GOOGLECHAT_WEBHOOKURL: `${url}/v1/spaces/A/messages?key=k&token=s3cr3t` }),
    path: '/v1/spaces/A/messages?key=k&token=s3cr3t',
    body: formatGoogleChat(sampleEvent(), { outputformat: 'all' }),
  },
  {
    type: 'telegram',
    yaml: (url) =>
      `telegram:\n  host: ${url}\n  token: "123:s3cr3t"\n  chatid: "-100"\n  messagethreadid: "7"\n`,
    env: (url) => ({
      TELEGRAM_HOST: url,
      TELEGRAM_TOKEN: '123:s3cr3t',
      TELEGRAM_CHATID: '-100',
      TELEGRAM_MESSAGETHREADID: '7',
    }),
    path: '/bot123:s3cr3t/sendMessage',
    body: formatTelegram(sampleEvent(), { chatid: '-100', messagethreadid: '7' }),
  },
  {
    type: 'webex',
    yaml: (url) => `webex:\n  webhookurl: ${url}/v1/webhooks/incoming/s3cr3t\n`,
    env: (url) => ({ WEBEX_WEBHOOKURL: `${url}/v1/webhooks/incoming/s3cr3t` }),
    path: '/v1/webhooks/incoming/s3cr3t',
    body: formatWebex(sampleEvent()),
  },
  {
    type: 'cliq',
    yaml: (url) =>
      `cliq:\n  webhookurl: ${url}/api/v2/channelsbyname/f/message?zapikey=s3cr3t\n  useemoji: true\n`,
    env: (url) => ({
      CLIQ_WEBHOOKURL: `${url}/api/v2/channelsbyname/f/message?zapikey=s3cr3t`,
      CLIQ_USEEMOJI: 'true',
    }),
    path: '/api/v2/channelsbyname/f/message?zapikey=s3cr3t',
    body: formatCliq(sampleEvent(), { icon: ICON, outputformat: 'all', useemoji: true }),
    headers: { 'content-type': 'application/json' },
  },
  {
    type: 'gotify',
    yaml: (url) => `gotify:\n  hostport: ${url}\n  token: s3cr3t\n  format: json\n`,
    env: (url) => ({ GOTIFY_HOSTPORT: url, GOTIFY_TOKEN: 's3cr3t', GOTIFY_FORMAT: 'json' }),
    path: '/message',
    body: formatGotify(sampleEvent(), 'json'),
    headers: { 'x-gotify-key': 's3cr3t' },
  },
];

describe('chat outputs from a falcosidekick section and from env names only', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200, body: 'ok' }));
  });
  afterAll(() => rx.close());

  describe.each(CASES)('$type', (c) => {
    it.each([
      ['YAML', () => loadRouterConfig({ env: {}, yaml: c.yaml(rx.url) })],
      ['env', () => loadRouterConfig({ env: c.env(rx.url) })],
    ] as const)('from %s: sends the sample event as falcosidekick does', async (_, load) => {
      const { config } = load();
      const { instances, errors } = buildOutputs(config.outputs);
      expect(errors).toEqual([]);
      expect(instances.map((i) => [i.name, i.type])).toEqual([[c.type, c.type]]);
      const output = instances[0]!.output;
      const before = rx.requests.length;
      expect(await output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
      await output.close?.();
      const req = rx.requests[before]!;
      expect(req.url).toBe(c.path);
      expect(req.text).toBe(c.body);
      for (const [k, v] of Object.entries(c.headers ?? {})) expect(req.headers[k]).toBe(v);
    });
  });
});

/** Where each output puts the `messageformat` text in its body. */
const MESSAGE_TEXT: Record<string, (body: unknown) => unknown> = {
  slack: (b) => (b as { text: string }).text,
  mattermost: (b) => (b as { text: string }).text,
  rocketchat: (b) => (b as { text: string }).text,
  googlechat: (b) => (b as { text: string }).text,
  cliq: (b) => (b as { text: string }).text,
};

describe('messageformat renders falcosidekick Go templates; a missing field is <no value>', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200, body: 'ok' }));
  });
  afterAll(() => rx.close());

  it.each(Object.keys(MESSAGE_TEXT))('%s', async (type) => {
    const { config } = loadRouterConfig({
      env: {},
      yaml: `${type}:\n  webhookurl: ${rx.url}/hook\n  messageformat: 'Alert: {{ .Rule }} in {{ index .OutputFields "k8s.ns.name" }} ({{ index .OutputFields "k8s.missing" }})'\n`,
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const output = instances[0]!.output;
    const before = rx.requests.length;
    expect(await output.send([secondEvent()], new AbortController().signal)).toEqual({ ok: true });
    await output.close?.();
    const body = rx.requests[before]!.text;
    expect(MESSAGE_TEXT[type]!(JSON.parse(body))).toBe(
      'Alert: Terminal shell in container in shop (<no value>)',
    );
  });
});
