import { type FalcoEvent, type Priority } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import {
  attachmentMessage,
  chatMessage,
  clip,
  goTimeString,
  escapeAlertText,
  renderMessage,
  stringFields,
  type ChatHead,
} from '@falconer/outputs-core';
import type { SlackConfig } from './slack.config';

const EMOJI: Readonly<Record<Priority, string>> = {
  Emergency: ':rotating_light:',
  Alert: ':red_circle:',
  Critical: ':red_circle:',
  Error: ':x:',
  Warning: ':warning:',
  Notice: ':large_blue_circle:',
  Informational: ':information_source:',
  Debug: ':mag:',
};

type Fmt = Pick<
  SlackConfig,
  'channel' | 'username' | 'icon' | 'footer' | 'outputformat' | 'messageformat' | 'format' | 'dashboardurl'
>;

function head(event: FalcoEvent, cfg: Fmt): ChatHead {
  return {
    text: renderMessage(cfg.messageformat, event),
    username: cfg.username,
    icon: cfg.icon,
    channel: cfg.channel,
  };
}

/**
 * The Slack message body for one event: falcosidekick's legacy attachment, byte for byte (the shared
 * attachment builder in outputs-core, Slack's field order), or the opt-in Block Kit message.
 */
export function formatSlack(event: FalcoEvent, cfg: Fmt): string {
  if (cfg.format === 'blocks') return formatBlocks(escapeAlertText(event), cfg);
  return attachmentMessage(event, 'slack', cfg);
}

const mrkdwn = (text: string): string => `{"type":"mrkdwn","text":${goJsonString(text)}}`;
const plain = (text: string): string => `{"type":"plain_text","text":${goJsonString(text)},"emoji":true}`;

/**
 * Falconer's Block Kit message (`slack.format: blocks`): header with a priority emoji, details, link.
 * Slack refuses header text over 150 characters and section text over 3000: longer ones are clipped.
 */
export function formatBlocks(event: FalcoEvent, cfg: Fmt): string {
  const blocks: string[] = [];
  blocks.push(
    `{"type":"header","text":${plain(clip(`${EMOJI[event.priority]} ${event.priority}: ${event.rule}`, 150))}}`,
  );
  if (cfg.outputformat !== 'fields')
    blocks.push(`{"type":"section","text":${mrkdwn(clip(event.output, 3000))}}`);
  if (cfg.outputformat !== 'text') {
    const pairs: [string, string][] = [['source', event.source]];
    if (event.hostname !== '') pairs.push(['hostname', event.hostname]);
    if (event.tags.length > 0) pairs.push(['tags', event.tags.join(', ')]);
    pairs.push(...stringFields(event));
    // A section holds at most 10 fields.
    for (let i = 0; i < pairs.length; i += 10) {
      const fs = pairs.slice(i, i + 10).map(([k, v]) => mrkdwn(clip(`*${k}*\n${v}`, 2000)));
      blocks.push(`{"type":"section","fields":[${fs.join(',')}]}`);
    }
  }
  blocks.push(`{"type":"context","elements":[${mrkdwn(goTimeString(event.time))}]}`);
  if (cfg.dashboardurl !== '') {
    const url = `${cfg.dashboardurl.replace(/\/+$/, '')}/explorer?event=${encodeURIComponent(event.uuid)}`;
    blocks.push(
      `{"type":"actions","elements":[{"type":"button","text":${plain('View in dashboard')},"url":${goJsonString(url)}}]}`,
    );
  }
  const h = head(event, cfg);
  if (!cfg.messageformat) h.text = `${event.priority}: ${event.rule}`;
  return chatMessage(h, `"blocks":[${blocks.join(',')}]`);
}
