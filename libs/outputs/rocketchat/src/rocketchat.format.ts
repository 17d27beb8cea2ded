import type { FalcoEvent } from '@falconer/contracts';
import type { CompiledTemplate } from '@falconer/falco';
import { attachmentMessage, CHAT_DEFAULTS, type AttachmentFormat } from '@falconer/outputs-core';

export interface RocketChatFormat {
  username: string;
  icon: string;
  outputformat: AttachmentFormat;
  messageformat?: CompiledTemplate;
}

/**
 * falcosidekick's Rocket.Chat message (outputs/rocketchat.go): Slack's attachment with Rocket.Chat's
 * field order (hostname last), no footer and no channel, an empty icon replaced by falcosidekick's
 * default; Go's json.Encoder bytes, trailing newline included. Deliberate difference: in `text` format
 * the attachment (with the output) is sent — falcosidekick drops it and posts no alert text at all.
 */
export function formatRocketChat(event: FalcoEvent, cfg: RocketChatFormat): string {
  return (
    attachmentMessage(event, 'rocketchat', {
      ...cfg,
      icon: cfg.icon || CHAT_DEFAULTS.fallbackIcon,
      footer: '',
    }) + '\n'
  );
}
