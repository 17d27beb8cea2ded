import { type FalcoEvent } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import type { CompiledTemplate } from '@falconer/falco';
import { goTimeString, joinedTags, renderMessage, stringFields } from '@falconer/outputs-core';

export interface GoogleChatFormat {
  outputformat: 'all' | 'text';
  messageformat?: CompiledTemplate;
}

const widget = (label: string, content: string): string =>
  `{"keyValue":{"topLabel":${goJsonString(label)},"content":${goJsonString(content)}}}`;

/**
 * falcosidekick's Google Chat message (outputs/googlechat.go) as Go's json.Encoder writes it: the
 * `messageformat` text (omitted when empty) and one card (an empty header, as Go marshals the struct)
 * with key-value widgets rule, priority, source, hostname, each string output field, tags, time.
 * `text` format: the text alone. Deliberate difference: without a `messageformat`, `text` format sends
 * the Falco output (falcosidekick sends `{}`, which Google Chat refuses).
 */
export function formatGoogleChat(event: FalcoEvent, cfg: GoogleChatFormat): string {
  const text = renderMessage(cfg.messageformat, event);
  if (cfg.outputformat === 'text') return `{"text":${goJsonString(text || event.output)}}\n`;
  const ws = [widget('rule', event.rule), widget('priority', event.priority), widget('source', event.source)];
  if (event.hostname !== '') ws.push(widget('hostname', event.hostname));
  for (const [k, v] of stringFields(event)) ws.push(widget(k, v));
  if (event.tags.length > 0) ws.push(widget('tags', joinedTags(event)));
  ws.push(widget('time', goTimeString(event.time)));
  const card = `{"header":{"title":"","subtitle":""},"sections":[{"widgets":[${ws.join(',')}]}]}`;
  return `{${text === '' ? '' : `"text":${goJsonString(text)},`}"cards":[${card}]}\n`;
}
