import {
  defineOutput,
  HTTP_SETTINGS,
  prepare,
  setting,
  type OutputContext,
  type OutputSpec,
} from '@falconer/outputs-core';
import { slackConfig, type SlackConfig } from './slack.config';
import { SlackOutput } from './slack.output';

export const SLACK_DEFAULTS = {
  username: 'Falcosidekick',
  icon: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png',
  footer: 'https://github.com/falcosecurity/falcosidekick',
} as const;

export const SLACK_SETTINGS = {
  webhookurl: setting.url('Slack incoming webhook URL (enables the output)', {
    required: true,
    secret: true,
  }),
  channel: setting.string('Channel override (`#falco`); empty = the webhook default'),
  username: setting.string('Sender name', SLACK_DEFAULTS.username),
  icon: setting.string('Sender icon URL', SLACK_DEFAULTS.icon),
  footer: setting.string('Attachment footer', SLACK_DEFAULTS.footer),
  outputformat: setting.enum(
    '`all` (text and fields), `text` or `fields`',
    ['all', 'text', 'fields'] as const,
    'all',
  ),
  messageformat: setting.string(
    'Go template for a text above the attachment (`{{ .Rule }}`, `{{ index .OutputFields "k8s.ns.name" }}`)',
  ),
  format: setting.enum(
    '`legacy` attachments (falcosidekick bytes) or `blocks` (Block Kit)',
    ['legacy', 'blocks'] as const,
    'legacy',
    { extension: true },
  ),
  dashboardurl: setting.string('Dashboard base URL for the "view in dashboard" link (blocks only)', '', {
    extension: true,
  }),
  ...HTTP_SETTINGS,
};

export const slackOutput = defineOutput({
  type: 'slack',
  title: 'Slack',
  section: 'slack',
  enabledBy: ['webhookurl'],
  settings: SLACK_SETTINGS,
  falcosidekick: 'outputs/slack.go',
  summary:
    "Posts one message per event to a Slack incoming webhook: falcosidekick's attachment (colour by priority, one field per output field), or an opt-in Block Kit message.",
  example: `slack:
  webhookurl: https://hooks.slack.com/services/XXXX/YYYY/ZZZZ
  channel: "#falco"
  outputformat: all
  minimumpriority: warning
  messageformat: 'Alert: {{ .Rule }} in {{ index .OutputFields "k8s.ns.name" }}'`,
  create: (values, ctx) => new SlackOutput(ctx.name, slackConfig(values, ctx)),
});

/** Reads raw `slack.*` settings into the formatter's config (tests, outputs that reuse Slack's attachment). */
export function readSlackConfig(
  spec: OutputSpec,
  ctx: OutputContext,
): { config: SlackConfig; errors: string[] } {
  const p = prepare(slackOutput, spec, ctx);
  return { config: slackConfig(p.values, p.ctx), errors: p.errors };
}
