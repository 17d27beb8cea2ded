import type { FalcoEvent } from '@falconer/contracts';
import { attachmentMessage, CHAT_DEFAULTS, type AttachmentConfig } from '@falconer/outputs-core';

/**
 * falcosidekick's Rocket.Chat message (outputs/rocketchat.go): Slack's attachment with Rocket.Chat's
 * field order (hostname last), no footer and no channel, an empty icon replaced by falcosidekick's
 * default; Go's json.Encoder bytes, trailing newline included. Deliberate difference: in `text` format
 * the attachment (with the output) is sent — falcosidekick drops it and posts no alert text at all.
 */
export function formatRocketChat(event: FalcoEvent, cfg: AttachmentConfig): string {
  return attachmentMessage(event, 'rocketchat', {
    ...cfg,
    icon: cfg.icon || CHAT_DEFAULTS.fallbackIcon,
    footer: '',
  });
}
