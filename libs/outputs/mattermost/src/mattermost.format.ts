import type { FalcoEvent } from '@falconer/contracts';
import { attachmentMessage, CHAT_DEFAULTS, type AttachmentConfig } from '@falconer/outputs-core';

/**
 * falcosidekick's Mattermost message (outputs/mattermost.go): Slack's attachment with Mattermost's field
 * order (hostname second), no channel, empty icon and footer replaced by falcosidekick's defaults as its
 * code does; Go's json.Encoder bytes, trailing newline included.
 */
export function formatMattermost(event: FalcoEvent, cfg: AttachmentConfig): string {
  return attachmentMessage(event, 'mattermost', {
    ...cfg,
    icon: cfg.icon || CHAT_DEFAULTS.fallbackIcon,
    footer: cfg.footer || CHAT_DEFAULTS.footer,
  });
}
