import {
  CHAT_DEFAULTS,
  defineOutput,
  HTTP_SETTINGS,
  MESSAGEFORMAT_SETTING,
  postEachTo,
  setting,
  templateSetting,
  webhookUrlSetting,
} from '@falconer/outputs-core';
import { formatCliq } from './cliq.format';

export const CLIQ_SETTINGS = {
  webhookurl: webhookUrlSetting('Zoho Cliq channel message URL with its `zapikey`'),
  icon: setting.string('Bot image URL', CHAT_DEFAULTS.icon),
  outputformat: setting.enum(
    '`all` (text and table), `text` or `fields`',
    ['all', 'text', 'fields'] as const,
    'all',
  ),
  useemoji: setting.bool('Start the text with an emoji for the priority', false),
  messageformat: MESSAGEFORMAT_SETTING,
  ...HTTP_SETTINGS,
};

/** falcosidekick posts to Cliq without a charset. */
const CONTENT_TYPE = { 'Content-Type': 'application/json' };

export const cliqOutput = defineOutput({
  type: 'cliq',
  title: 'Zoho Cliq',
  section: 'cliq',
  enabledBy: ['webhookurl'],
  settings: CLIQ_SETTINGS,
  falcosidekick: 'outputs/cliq.go',
  summary:
    "Posts one message per event to a Zoho Cliq channel: falcosidekick's text with a table slide of the rule, priority, hostname, output fields and time.",
  example: `cliq:
  webhookurl: https://cliq.zoho.eu/api/v2/channelsbyname/falco/message?zapikey=XXXX
  useemoji: true
  messageformat: 'Alert: {{ .Rule }} in {{ index .OutputFields "k8s.ns.name" }}'`,
  create: (v, ctx) => {
    const cfg = { ...v, messageformat: templateSetting('messageformat', v.messageformat, ctx) };
    return postEachTo(v.webhookurl, v, ctx, (event) => formatCliq(event, cfg), CONTENT_TYPE);
  },
});
