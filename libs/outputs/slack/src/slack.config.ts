import { compileTemplate, type CompiledTemplate } from '@falconer/falco';
import {
  httpOptions,
  type CreateContext,
  type HttpSenderOptions,
  type SettingValues,
} from '@falconer/outputs-core';
import type { SLACK_SETTINGS } from './slack.descriptor';

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

/** Compiles a `messageformat`-style Go template setting; a bad one is reported against its key. */
export function templateSetting(key: string, src: string, ctx: CreateContext): CompiledTemplate | undefined {
  if (src === '') return undefined;
  try {
    return compileTemplate(src);
  } catch (err) {
    ctx.error(key, err instanceof Error ? err.message : String(err));
    return undefined;
  }
}

/** `slack.*` settings (spec/outputs.md) as the formatter takes them. */
export function slackConfig(v: SettingValues<typeof SLACK_SETTINGS>, ctx: CreateContext): SlackConfig {
  return {
    webhookurl: v.webhookurl,
    channel: v.channel,
    username: v.username,
    icon: v.icon,
    footer: v.footer,
    outputformat: v.outputformat,
    messageformat: templateSetting('messageformat', v.messageformat, ctx),
    format: v.format,
    dashboardurl: v.dashboardurl || (ctx.dashboardUrl ?? ''),
    http: httpOptions(v, ctx),
  };
}
