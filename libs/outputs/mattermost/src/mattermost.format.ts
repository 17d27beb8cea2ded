import type { FalcoEvent } from '@falconer/contracts';
import type { CompiledTemplate } from '@falconer/falco';
import { attachmentMessage, CHAT_DEFAULTS, type AttachmentFormat } from '@falconer/outputs-core';

export interface MattermostFormat {
  username: string;
  icon: string;
  footer: string;
  outputformat: AttachmentFormat;
  messageformat?: CompiledTemplate;
}

/**
 * falcosidekick's Mattermost message (outputs/mattermost.go): Slack's attachment with Mattermost's field
 * order (hostname second), no channel, empty icon and footer replaced by falcosidekick's defaults as its
 * code does; Go's json.Encoder bytes, trailing newline included.
 */
export function formatMattermost(event: FalcoEvent, cfg: MattermostFormat): string {
  return (
    attachmentMessage(event, 'mattermost', {
      ...cfg,
      icon: cfg.icon || CHAT_DEFAULTS.fallbackIcon,
      footer: cfg.footer || CHAT_DEFAULTS.footer,
    }) + '\n'
  );
}
