import {
  CHAT_DEFAULTS,
  createOutput,
  type AttachmentConfig,
  type OutputDescriptor,
} from '@falconer/outputs-core';
import type { ReceiverReply } from '@falconer/testing';
import { expect } from 'vitest';
import { outputContract } from './contract';
import { SAMPLE_OUTPUT, sampleAttachmentFields } from './sample-events';

/**
 * The configuration of an attachment chat output (Mattermost, Rocket.Chat) with falcosidekick's
 * defaults; `footer` is the destination's default footer.
 */
export function sampleAttachmentConfig(
  footer: string,
): (over?: Partial<AttachmentConfig>) => AttachmentConfig {
  return (over = {}) => ({
    username: 'Falcosidekick',
    icon: CHAT_DEFAULTS.icon,
    footer,
    outputformat: 'all',
    ...over,
  });
}

/**
 * falcosidekick's body for sampleEvent() with `outputformat: all` (json.Encoder, trailing newline): the
 * default username and icon, one attachment with the fields in the destination's `order`, then `tail`
 * (e.g. `,"footer":"…"`) inside the attachment.
 */
export function sampleAttachmentBody(order: readonly string[], tail = ''): string {
  return (
    `{"username":"Falcosidekick","icon_url":"${CHAT_DEFAULTS.icon}","attachments":[{"fallback":"${SAMPLE_OUTPUT}",` +
    `"color":"#e20b0b","text":"${SAMPLE_OUTPUT}","fields":${sampleAttachmentFields(order)}${tail}}]}\n`
  );
}

/**
 * The output contract of a chat output configured by `webhookurl` alone, whose URL path is the secret:
 * the request goes to that path with the body `format` gives for the sample event.
 */
export function webhookChatContract(o: {
  descriptor: OutputDescriptor;
  /** The webhook's path, e.g. `/hooks/<token>`. */
  secretPath: string;
  /** The part of the path that must never show in a result. */
  secret: string;
  okReply: () => ReceiverReply;
  body: () => string;
}): void {
  const type = o.descriptor.type;
  outputContract({
    name: type,
    make: (url) =>
      createOutput(
        o.descriptor,
        { name: type, type, path: type, settings: { webhookurl: `${url}${o.secretPath}` } },
        {},
      ).output,
    secrets: [o.secret],
    okReply: o.okReply,
    checkRequest: (req) => {
      expect(req.url).toBe(o.secretPath);
      expect(req.text).toBe(o.body());
    },
  });
}
