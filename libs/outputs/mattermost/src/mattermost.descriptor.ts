import {
  ATTACHMENT_SETTINGS,
  attachmentConfig,
  defineOutput,
  HTTP_SETTINGS,
  postEachTo,
  webhookUrlSetting,
} from '@falconer/outputs-core';
import { formatMattermost } from './mattermost.format';

export const MATTERMOST_SETTINGS = {
  webhookurl: webhookUrlSetting('Mattermost incoming webhook URL'),
  ...ATTACHMENT_SETTINGS,
  ...HTTP_SETTINGS,
};

export const mattermostOutput = defineOutput({
  type: 'mattermost',
  title: 'Mattermost',
  section: 'mattermost',
  enabledBy: ['webhookurl'],
  settings: MATTERMOST_SETTINGS,
  falcosidekick: 'outputs/mattermost.go',
  summary:
    "Posts one message per event to a Mattermost incoming webhook: falcosidekick's Slack-style attachment (colour by priority, one field per output field, hostname second).",
  example: `mattermost:
  webhookurl: https://mattermost.example/hooks/xxxxxxxxxxxxxxxxxxxxxxxxxx
  outputformat: all
  messageformat: 'Alert: {{ .Rule }} in {{ index .OutputFields "k8s.ns.name" }}'`,
  create: (v, ctx) => {
    const cfg = attachmentConfig(v, ctx);
    return postEachTo(v.webhookurl, v, ctx, (event) => formatMattermost(event, cfg));
  },
});
