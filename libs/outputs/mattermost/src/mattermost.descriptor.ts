import {
  ATTACHMENT_SETTINGS,
  defineOutput,
  HTTP_SETTINGS,
  postEachTo,
  setting,
  templateSetting,
} from '@falconer/outputs-core';
import { formatMattermost } from './mattermost.format';

export const MATTERMOST_SETTINGS = {
  webhookurl: setting.url('Mattermost incoming webhook URL (enables the output)', {
    required: true,
    secret: true,
  }),
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
    const cfg = { ...v, messageformat: templateSetting('messageformat', v.messageformat, ctx) };
    return postEachTo(v.webhookurl, v, ctx, (event) => formatMattermost(event, cfg));
  },
});
