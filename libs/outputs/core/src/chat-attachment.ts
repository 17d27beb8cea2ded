import { type FalcoEvent, type Priority } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import type { CompiledTemplate } from '@falconer/falco';
import { setting, type CreateContext, type Setting } from './descriptor';
import { goTimeString } from './event-time';
import { renderMessage, templateSetting } from './message-template';

/** falcosidekick's defaults for its chat outputs (config.go), shared by Slack, Mattermost, Rocket.Chat, … */
export const CHAT_DEFAULTS = {
  username: 'Falcosidekick',
  icon: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png',
  /** What falcosidekick's code falls back to when an icon setting is empty (`DefaultIconURL`). */
  fallbackIcon: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick.png',
  footer: 'https://github.com/falcosecurity/falcosidekick',
} as const;

/** The webhook URL that enables a chat output: required, and a secret (its path or query is the credential). */
export function webhookUrlSetting(what: string): Setting<string> {
  return setting.url(`${what} (enables the output)`, { required: true, secret: true });
}

/** `messageformat`: the Go template of a text above the card (Slack, Mattermost, Rocket.Chat, Google Chat, Cliq). */
export const MESSAGEFORMAT_SETTING = setting.string(
  'Go template for a text above the attachment (`{{ .Rule }}`, `{{ index .OutputFields "k8s.ns.name" }}`)',
);

/** The settings of falcosidekick's Slack-style attachment, shared by Slack, Mattermost and Rocket.Chat. */
export const ATTACHMENT_SETTINGS = {
  username: setting.string('Sender name', CHAT_DEFAULTS.username),
  icon: setting.string('Sender icon URL', CHAT_DEFAULTS.icon),
  footer: setting.string('Attachment footer', CHAT_DEFAULTS.footer),
  outputformat: setting.enum(
    '`all` (text and fields), `text` or `fields`',
    ['all', 'text', 'fields'] as const,
    'all',
  ),
  messageformat: MESSAGEFORMAT_SETTING,
};

/** falcosidekick's attachment colours by priority (Slack, Mattermost, Rocket.Chat). */
export const ATTACHMENT_COLORS: Readonly<Record<Priority, string>> = {
  Emergency: '#e20b0b',
  Alert: '#ff5400',
  Critical: '#ff5400',
  Error: '#e20b0b',
  Warning: '#ffc700',
  Notice: '#5bffb5',
  Informational: '#68c2ff',
  Debug: '#ccfff2',
};

/** String output fields in sorted key order (falcosidekick's `getSortedStringKeys` leaves the others out). */
export function stringFields(event: FalcoEvent): [string, string][] {
  const out: [string, string][] = [];
  for (const k of Object.keys(event.output_fields).sort()) {
    const v = event.output_fields[k];
    if (typeof v === 'string') out.push([k, v]);
  }
  return out;
}

/** Tags as falcosidekick's chat outputs show them: sorted, joined with `, `. */
export function joinedTags(event: FalcoEvent): string {
  return [...event.tags].sort().join(', ');
}

/** Cuts a text to at most `n` characters (code points), ending with `…` when cut: chat APIs refuse longer. */
export function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  const cps = [...s];
  return cps.length <= n ? s : cps.slice(0, n - 1).join('') + '…';
}

/**
 * Slack-style mrkdwn (Slack, Mattermost, Rocket.Chat) reads `<…>` as links and mentions (`<!channel>`,
 * `<https://evil.example|Click>`) and `&` as the start of an entity: text that comes from an alert is
 * escaped as Slack asks (`&amp;`, `&lt;`, `&gt;`), so it shows as written. falcosidekick passes it
 * through; this is a deliberate difference (docs/outputs/slack.md). Templates keep their own markup:
 * only the event's text is escaped, before anything is built from it.
 */
export function mrkdwnText(s: string): string {
  return /[&<>]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s;
}

/** The event with every text an alert carries (output, rule, hostname, tags, string fields) escaped for mrkdwn. */
export function escapeAlertText(event: FalcoEvent): FalcoEvent {
  const fields = Object.create(null) as Record<string, FalcoEvent['output_fields'][string]>;
  for (const [k, v] of Object.entries(event.output_fields))
    fields[k] = typeof v === 'string' ? mrkdwnText(v) : v;
  return {
    ...event,
    output: mrkdwnText(event.output),
    rule: mrkdwnText(event.rule),
    hostname: mrkdwnText(event.hostname),
    tags: event.tags.map(mrkdwnText),
    output_fields: fields,
  };
}

/**
 * Where each destination's falcosidekick code puts the fields (its three copies differ):
 * Slack `rule, priority, source, hostname, tags, <fields>, time`; Mattermost `rule, hostname, priority,
 * source, tags, <fields>, time`; Rocket.Chat `rule, priority, source, tags, <fields>, time, hostname`.
 */
export type AttachmentLayout = 'slack' | 'mattermost' | 'rocketchat';

export type AttachmentFormat = 'all' | 'text' | 'fields';

export interface AttachmentOptions {
  layout: AttachmentLayout;
  /** `all` (text and fields), `text` or `fields`. */
  outputformat: AttachmentFormat;
  /** Shown with the fields; `''` = none. */
  footer: string;
}

const field = (title: string, value: string, short: boolean): string =>
  `{"title":${goJsonString(title)},"value":${goJsonString(value)},"short":${short ? 'true' : 'false'}}`;

function fields(event: FalcoEvent, layout: AttachmentLayout): string {
  const host = event.hostname !== '' ? [field('hostname', event.hostname, true)] : [];
  const rule = field('rule', event.rule, true);
  const prioritySource = [field('priority', event.priority, true), field('source', event.source, true)];
  const fs: string[] =
    layout === 'mattermost' ? [rule, ...host, ...prioritySource] : [rule, ...prioritySource];
  if (layout === 'slack') fs.push(...host);
  if (event.tags.length > 0) fs.push(field('tags', joinedTags(event), true));
  for (const [k, v] of stringFields(event)) fs.push(field(k, v, [...v].length < 36));
  fs.push(field('time', goTimeString(event.time), false));
  if (layout === 'rocketchat') fs.push(...host);
  return `[${fs.join(',')}]`;
}

/**
 * One legacy attachment, byte for byte as falcosidekick marshals its `slackAttachment` struct: key order
 * `fallback, color, text, fields, footer`, Go string escaping, `"fields":null` in `text` format (a nil
 * slice), `text` and `footer` omitted when empty.
 */
export function chatAttachment(event: FalcoEvent, o: AttachmentOptions): string {
  const withFields = o.outputformat !== 'text';
  const withText = o.outputformat !== 'fields';
  let att = `{"fallback":${goJsonString(event.output)},"color":${goJsonString(ATTACHMENT_COLORS[event.priority])}`;
  if (withText && event.output !== '') att += `,"text":${goJsonString(event.output)}`;
  att += `,"fields":${withFields ? fields(event, o.layout) : 'null'}`;
  if (withFields && o.footer !== '') att += `,"footer":${goJsonString(o.footer)}`;
  return att + '}';
}

/** The top of falcosidekick's `slackPayload`; empty values are omitted (Go `omitempty`). */
export interface ChatHead {
  text: string;
  username: string;
  icon: string;
  channel?: string;
}

/** `{"text":…,"username":…,"icon_url":…,"channel":…,<rest>}` — `rest` is one more member (`"attachments":[…]`). */
export function chatMessage(head: ChatHead, rest: string): string {
  const parts: string[] = [];
  if (head.text !== '') parts.push(`"text":${goJsonString(head.text)}`);
  if (head.username !== '') parts.push(`"username":${goJsonString(head.username)}`);
  if (head.icon !== '') parts.push(`"icon_url":${goJsonString(head.icon)}`);
  if (head.channel) parts.push(`"channel":${goJsonString(head.channel)}`);
  parts.push(rest);
  return `{${parts.join(',')}}`;
}

export interface AttachmentMessageOptions extends Omit<ChatHead, 'text'>, Omit<AttachmentOptions, 'layout'> {
  /** Compiled `messageformat`: the message text above the attachment. */
  messageformat?: CompiledTemplate;
}

/** The attachment settings of an instance as its formatter takes them (Mattermost, Rocket.Chat). */
export type AttachmentConfig = Omit<AttachmentMessageOptions, 'channel'>;

/** Reads ATTACHMENT_SETTINGS values, compiling `messageformat` (a bad template is reported against its key). */
export function attachmentConfig(
  v: Omit<AttachmentConfig, 'messageformat'> & { messageformat: string },
  ctx: CreateContext,
): AttachmentConfig {
  const { username, icon, footer, outputformat } = v;
  const messageformat = templateSetting('messageformat', v.messageformat, ctx);
  return { username, icon, footer, outputformat, ...(messageformat ? { messageformat } : {}) };
}

/**
 * falcosidekick's `slackPayload` with one attachment, laid out for the destination; alert text escaped.
 * Slack, Mattermost and Rocket.Chat all go through its `Client.Post`, whose json.Encoder ends the body
 * with a newline: so does this.
 */
export function attachmentMessage(
  raw: FalcoEvent,
  layout: AttachmentLayout,
  o: AttachmentMessageOptions,
): string {
  const event = escapeAlertText(raw);
  const att = chatAttachment(event, { layout, outputformat: o.outputformat, footer: o.footer });
  const head = { text: renderMessage(o.messageformat, event), username: o.username, icon: o.icon };
  return chatMessage(o.channel ? { ...head, channel: o.channel } : head, `"attachments":[${att}]`) + '\n';
}
