import { defineOutput, HTTP_SETTINGS, postEachTo, webhookUrlSetting } from '@falconer/outputs-core';
import { formatWebex } from './webex.format';

export const WEBEX_SETTINGS = {
  webhookurl: webhookUrlSetting('Webex incoming webhook URL'),
  ...HTTP_SETTINGS,
};

export const webexOutput = defineOutput({
  type: 'webex',
  title: 'Webex',
  section: 'webex',
  enabledBy: ['webhookurl'],
  settings: WEBEX_SETTINGS,
  falcosidekick: 'outputs/webex.go',
  summary:
    "Posts one markdown message per event to a Webex space's incoming webhook: falcosidekick's text with the rule, output, hostname, source, priority, tags and fields.",
  example: `webex:
  webhookurl: https://webexapis.com/v1/webhooks/incoming/XXXX
  minimumpriority: warning`,
  create: (v, ctx) => postEachTo(v.webhookurl, v, ctx, formatWebex),
});
