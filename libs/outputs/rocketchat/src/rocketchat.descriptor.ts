import {
  ATTACHMENT_SETTINGS,
  defineOutput,
  HTTP_SETTINGS,
  postEachTo,
  setting,
  templateSetting,
} from '@falconer/outputs-core';
import { formatRocketChat } from './rocketchat.format';

export const ROCKETCHAT_SETTINGS = {
  webhookurl: setting.url('Rocket.Chat incoming webhook URL (enables the output)', {
    required: true,
    secret: true,
  }),
  ...ATTACHMENT_SETTINGS,
  footer: setting.string('Accepted for compatibility: falcosidekick never shows a footer on Rocket.Chat', ''),
  ...HTTP_SETTINGS,
};

export const rocketchatOutput = defineOutput({
  type: 'rocketchat',
  title: 'Rocket.Chat',
  section: 'rocketchat',
  enabledBy: ['webhookurl'],
  settings: ROCKETCHAT_SETTINGS,
  falcosidekick: 'outputs/rocketchat.go',
  summary:
    "Posts one message per event to a Rocket.Chat incoming webhook: falcosidekick's Slack-style attachment (colour by priority, one field per output field, hostname last).",
  example: `rocketchat:
  webhookurl: https://rocketchat.example/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx
  outputformat: all
  messageformat: 'Alert: {{ .Rule }} in {{ index .OutputFields "k8s.ns.name" }}'`,
  create: (v, ctx) => {
    const cfg = { ...v, messageformat: templateSetting('messageformat', v.messageformat, ctx) };
    return postEachTo(v.webhookurl, v, ctx, (event) => formatRocketChat(event, cfg));
  },
});
