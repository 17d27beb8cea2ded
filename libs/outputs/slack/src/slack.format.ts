import { goJsonString, type FalcoEvent, type Priority } from '@falconer/contracts';
import { goTimeString } from '@falconer/outputs-core';
import type { SlackConfig } from './slack.config';

/** falcosidekick's colours by priority. */
export const SLACK_COLORS: Readonly<Record<Priority, string>> = {
  Emergency: '#e20b0b',
  Alert: '#ff5400',
  Critical: '#ff5400',
  Error: '#e20b0b',
  Warning: '#ffc700',
  Notice: '#5bffb5',
  Informational: '#68c2ff',
  Debug: '#ccfff2',
};

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

/** The data `messageformat` sees: falcosidekick's FalcoPayload field names. */
export function templateData(event: FalcoEvent): Record<string, unknown> {
  return {
    UUID: event.uuid,
    Output: event.output,
    Priority: event.priority,
    Rule: event.rule,
    Time: goTimeString(event.time),
    OutputFields: event.output_fields,
    Source: event.source,
    Tags: event.tags,
    Hostname: event.hostname,
  };
}

const field = (title: string, value: string, short: boolean): string =>
  `{"title":${goJsonString(title)},"value":${goJsonString(value)},"short":${short ? 'true' : 'false'}}`;

/** String output fields in sorted key order (falcosidekick leaves the others out). */
function stringFields(event: FalcoEvent): [string, string][] {
  const out: [string, string][] = [];
  for (const k of Object.keys(event.output_fields).sort()) {
    const v = event.output_fields[k];
    if (typeof v === 'string') out.push([k, v]);
  }
  return out;
}

function head(event: FalcoEvent, cfg: Fmt): string {
  const text = cfg.messageformat ? cfg.messageformat(templateData(event)) : '';
  let out = '{';
  const parts: string[] = [];
  if (text !== '') parts.push(`"text":${goJsonString(text)}`);
  if (cfg.username !== '') parts.push(`"username":${goJsonString(cfg.username)}`);
  if (cfg.icon !== '') parts.push(`"icon_url":${goJsonString(cfg.icon)}`);
  if (cfg.channel !== '') parts.push(`"channel":${goJsonString(cfg.channel)}`);
  out += parts.join(',');
  return out;
}

/**
 * The Slack message body for one event: falcosidekick's legacy attachment, byte for byte (key order of
 * its Go structs, Go string escaping, `"fields":null` in `text` mode as Go marshals a nil slice), or
 * the opt-in Block Kit message.
 */
export function formatSlack(raw: FalcoEvent, cfg: Fmt): string {
  const event = escapeAlertText(raw);
  if (cfg.format === 'blocks') return formatBlocks(event, cfg);
  const withFields = cfg.outputformat === 'all' || cfg.outputformat === 'fields';
  const withText = cfg.outputformat === 'all' || cfg.outputformat === 'text';
  let fields = 'null';
  if (withFields) {
    const fs: string[] = [
      field('rule', event.rule, true),
      field('priority', event.priority, true),
      field('source', event.source, true),
    ];
    if (event.hostname !== '') fs.push(field('hostname', event.hostname, true));
    if (event.tags.length > 0) fs.push(field('tags', [...event.tags].sort().join(', '), true));
    for (const [k, v] of stringFields(event)) fs.push(field(k, v, [...v].length < 36));
    fs.push(field('time', goTimeString(event.time), false));
    fields = `[${fs.join(',')}]`;
  }
  let att = `{"fallback":${goJsonString(event.output)},"color":${goJsonString(SLACK_COLORS[event.priority])}`;
  if (withText && event.output !== '') att += `,"text":${goJsonString(event.output)}`;
  att += `,"fields":${fields}`;
  if (withFields && cfg.footer !== '') att += `,"footer":${goJsonString(cfg.footer)}`;
  att += '}';
  const h = head(event, cfg);
  return `${h}${h === '{' ? '' : ','}"attachments":[${att}]}`;
}

/**
 * Slack reads `<…>` in message text as links and mentions (`<!channel>`, `<https://evil.example|Click>`)
 * and `&` as the start of an entity: text that comes from an alert is escaped as Slack asks (`&amp;`,
 * `&lt;`, `&gt;`), so it shows as written. falcosidekick passes it through; this is a deliberate
 * difference (docs/outputs/slack.md). Templates keep their own markup; only the event's text is escaped.
 */
const escapeMrkdwn = (s: string): string =>
  /[&<>]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;

function escapeAlertText(event: FalcoEvent): FalcoEvent {
  const fields = Object.create(null) as Record<string, FalcoEvent['output_fields'][string]>;
  for (const [k, v] of Object.entries(event.output_fields))
    fields[k] = typeof v === 'string' ? escapeMrkdwn(v) : v;
  return {
    ...event,
    output: escapeMrkdwn(event.output),
    rule: escapeMrkdwn(event.rule),
    hostname: escapeMrkdwn(event.hostname),
    tags: event.tags.map(escapeMrkdwn),
    output_fields: fields,
  };
}

const mrkdwn = (text: string): string => `{"type":"mrkdwn","text":${goJsonString(text)}}`;
const plain = (text: string): string => `{"type":"plain_text","text":${goJsonString(text)},"emoji":true}`;
/** Slack refuses header text over 150 characters and section text over 3000. */
const clip = (s: string, n: number): string =>
  [...s].length <= n ? s : [...s].slice(0, n - 1).join('') + '…';

/** Falconer's Block Kit message (`slack.format: blocks`), from an event whose text is escaped. */
function formatBlocks(event: FalcoEvent, cfg: Fmt): string {
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
  const h = head(
    { ...event },
    { ...cfg, messageformat: cfg.messageformat ?? (() => `${event.priority}: ${event.rule}`) },
  );
  return `${h}${h === '{' ? '' : ','}"blocks":[${blocks.join(',')}]}`;
}
