import { type FalcoEvent } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import { goTimeString, goValue, sortedFields } from '@falconer/outputs-core';

/** falcosidekick's `markdownV2EscapeText`: a backslash before each character MarkdownV2 reserves. */
export function markdownV2(text: string): string {
  return text.replace(/[_*[\]()~`>#+\-=|{}.!]/g, '\\$&');
}

/** falcosidekick's fixed MarkdownV2 message (its `telegramMarkdownV2Tmpl`), rendered without a template engine. */
export function telegramText(event: FalcoEvent): string {
  const e = markdownV2;
  return (
    `*\\[Falco\\] \\[${e(event.priority)}\\] ${e(event.rule)}*\n\n` +
    `• *Time*: ${e(goTimeString(event.time))}\n` +
    `• *Source*: ${e(event.source)}\n` +
    `• *Hostname*: ${e(event.hostname)}\n` +
    `• *Tags*: ${event.tags.map((t) => `${e(t)} `).join('')}\n` +
    '• *Fields*:\n' +
    sortedFields(event)
      .map(([k, v]) => `\t  • *${e(k)}*: ${e(goValue(v))}\n`)
      .join('') +
    `\n\n**Output**: ${e(event.output)}\n`
  );
}

export interface TelegramFormat {
  chatid: string;
  messagethreadid: string;
}

/**
 * falcosidekick's sendMessage body (outputs/telegram.go) as Go's json.Encoder writes it: `text`,
 * `parse_mode: MarkdownV2`, `disable_web_page_preview`, `chat_id`, and `message_thread_id` when set.
 */
export function formatTelegram(event: FalcoEvent, cfg: TelegramFormat): string {
  let body = `{"text":${goJsonString(telegramText(event))},"parse_mode":"MarkdownV2","disable_web_page_preview":true`;
  if (cfg.chatid !== '') body += `,"chat_id":${goJsonString(cfg.chatid)}`;
  if (cfg.messagethreadid !== '') body += `,"message_thread_id":${goJsonString(cfg.messagethreadid)}`;
  return body + '}\n';
}
