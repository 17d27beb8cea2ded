import {
  ATTACHMENT_SETTINGS,
  attachmentConfig,
  defineOutput,
  HTTP_SETTINGS,
  postEachTo,
  setting,
  webhookUrlSetting,
} from '@falconer/outputs-core';
import { formatRocketChat } from './rocketchat.format';

export const ROCKETCHAT_SETTINGS = {
  webhookurl: webhookUrlSetting('Rocket.Chat incoming webhook URL'),
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
    const cfg = attachmentConfig(v, ctx);
    return postEachTo(v.webhookurl, v, ctx, (event) => formatRocketChat(event, cfg));
  },
});
