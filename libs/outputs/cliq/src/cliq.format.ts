import { type FalcoEvent, type Priority } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import type { CompiledTemplate } from '@falconer/falco';
import { CHAT_DEFAULTS, goTimeString, renderMessage, stringFields } from '@falconer/outputs-core';

export interface CliqFormat {
  icon: string;
  outputformat: 'all' | 'text' | 'fields';
  useemoji: boolean;
  messageformat?: CompiledTemplate;
}

/** falcosidekick's Cliq emoji by priority (`useemoji`). */
const EMOJI: Readonly<Record<Priority, string>> = {
  Emergency: '\u{1F6A8}',
  Alert: '\u{1F7E0}',
  Critical: '\u{1F7E0}',
  Error: '\u{1F6A8}',
  Warning: '\u{1F7E1}',
  Notice: '\u{1F535}',
  Informational: '\u{1F7E2}',
  Debug: '\u{26AA}',
};

const row = (field: string, value: string): string =>
  `{"field":${goJsonString(field)},"value":${goJsonString(value)}}`;

/**
 * falcosidekick's Zoho Cliq message (outputs/cliq.go) as Go's json.Encoder writes it: `text` (the
 * `messageformat` text, else the output; an emoji first with `useemoji`), the bot (name and image), and
 * slides: the output as a text slide when a `messageformat` took the text (`all`/`text`), then a table
 * of rule, priority, hostname, each string output field and time (`all`/`fields`).
 */
export function formatCliq(event: FalcoEvent, cfg: CliqFormat): string {
  const slides: string[] = [];
  let text = event.output;
  if (cfg.messageformat) {
    text = renderMessage(cfg.messageformat, event);
    if (cfg.outputformat !== 'fields') slides.push(`{"type":"text","data":${goJsonString(event.output)}}`);
  }
  if (cfg.outputformat !== 'text') {
    const rows = [row('rule', event.rule), row('priority', event.priority)];
    if (event.hostname !== '') rows.push(row('hostname', event.hostname));
    for (const [k, v] of stringFields(event)) rows.push(row(k, v));
    rows.push(row('time', goTimeString(event.time)));
    slides.push(`{"type":"table","data":{"headers":["field","value"],"rows":[${rows.join(',')}]}}`);
  }
  if (cfg.useemoji) text = `${EMOJI[event.priority]} ${text}`;
  const bot = `{"name":"Falcosidekick","image":${goJsonString(cfg.icon || CHAT_DEFAULTS.fallbackIcon)}}`;
  return `{"text":${goJsonString(text)},"bot":${bot}${slides.length > 0 ? `,"slides":[${slides.join(',')}]` : ''}}\n`;
}
