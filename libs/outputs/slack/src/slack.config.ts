import { compileTemplate, type CompiledTemplate } from '@falconer/falco';
import {
  httpOptions,
  SettingsReader,
  urlSecrets,
  type HttpSenderOptions,
  type OutputContext,
  type OutputSpec,
} from '@falconer/outputs-core';

export const SLACK_DEFAULTS = {
  username: 'Falcosidekick',
  icon: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png',
  footer: 'https://github.com/falcosecurity/falcosidekick',
} as const;

export type SlackOutputFormat = 'all' | 'text' | 'fields';

export interface SlackConfig {
  webhookurl: string;
  channel: string;
  username: string;
  icon: string;
  footer: string;
  outputformat: SlackOutputFormat;
  /** Compiled `messageformat`; undefined when empty. */
  messageformat?: CompiledTemplate;
  /** `legacy` attachments (falcosidekick bytes) or the opt-in Block Kit message. */
  format: 'legacy' | 'blocks';
  /** Dashboard base URL for the "view in dashboard" link (blocks only). */
  dashboardurl: string;
  http: HttpSenderOptions;
}

/** `slack.*` settings (spec/outputs.md), every problem collected. */
export function readSlackConfig(
  spec: OutputSpec,
  ctx: OutputContext,
): { config: SlackConfig; errors: string[] } {
  const r = new SettingsReader(spec.settings, spec.path);
  const webhookurl = r.url('webhookurl', true);
  const src = r.string('messageformat');
  let messageformat: CompiledTemplate | undefined;
  if (src !== '') {
    try {
      messageformat = compileTemplate(src);
    } catch (err) {
      r.error('messageformat', err instanceof Error ? err.message : String(err));
    }
  }
  const config: SlackConfig = {
    webhookurl,
    channel: r.string('channel'),
    username: r.string('username', SLACK_DEFAULTS.username),
    icon: r.string('icon', SLACK_DEFAULTS.icon),
    footer: r.string('footer', SLACK_DEFAULTS.footer),
    outputformat: r.oneOf('outputformat', ['all', 'text', 'fields'] as const, 'all'),
    messageformat,
    format: r.oneOf('format', ['legacy', 'blocks'] as const, 'legacy'),
    dashboardurl: r.string('dashboardurl', ctx.dashboardUrl ?? ''),
    http: httpOptions(r, ctx, urlSecrets(webhookurl)),
  };
  return { config, errors: r.errors };
}
