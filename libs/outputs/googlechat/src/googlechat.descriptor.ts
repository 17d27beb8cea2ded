import {
  defineOutput,
  HTTP_SETTINGS,
  MESSAGEFORMAT_SETTING,
  postEachTo,
  setting,
  templateSetting,
  webhookUrlSetting,
} from '@falconer/outputs-core';
import { formatGoogleChat } from './googlechat.format';

export const GOOGLECHAT_SETTINGS = {
  webhookurl: webhookUrlSetting('Google Chat space webhook URL, with its key and token'),
  outputformat: setting.enum('`all` (text and card) or `text`', ['all', 'text'] as const, 'all'),
  messageformat: MESSAGEFORMAT_SETTING,
  ...HTTP_SETTINGS,
};

export const googlechatOutput = defineOutput({
  type: 'googlechat',
  title: 'Google Chat',
  section: 'googlechat',
  enabledBy: ['webhookurl'],
  settings: GOOGLECHAT_SETTINGS,
  falcosidekick: 'outputs/googlechat.go',
  summary:
    "Posts one message per event to a Google Chat space webhook: falcosidekick's card (one key-value widget per output field) under an optional `messageformat` text.",
  example: `googlechat:
  webhookurl: https://chat.googleapis.com/v1/spaces/XXXX/messages?key=YYYY&token=ZZZZ
  messageformat: 'Alert: {{ .Rule }} in {{ index .OutputFields "k8s.ns.name" }}'`,
  create: (v, ctx) => {
    const cfg = {
      outputformat: v.outputformat,
      messageformat: templateSetting('messageformat', v.messageformat, ctx),
    };
    return postEachTo(v.webhookurl, v, ctx, (event) => formatGoogleChat(event, cfg));
  },
});
