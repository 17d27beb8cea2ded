import type { FalcoEvent, Priority } from '@falconer/contracts';
import { goPrint, goTimeString, parseEventTime } from '@falconer/outputs-core';
import { htmlPart } from './smtp.html';

/** falcosidekick's fixed MIME boundary. */
export const BOUNDARY = '4t74weu9byeSdJTM';

/** The html part's banner colour by priority (falcosidekick's htmlTmpl). */
const COLORS: Readonly<Record<Priority, string>> = {
  Emergency: '#e20b0b',
  Alert: '#ff5400',
  Critical: '#ff9000',
  Error: '#ffc700',
  Warning: '#ffff00',
  Notice: '#5bffb5',
  Informational: '#68c2ff',
  Debug: '#ccfff2',
};

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  "'": '&#39;',
  '"': '&#34;',
  '+': '&#43;',
  '<': '&lt;',
  '>': '&gt;',
  '\0': '\uFFFD',
};

/** Go html/template's escaping of text in an HTML element. */
export const htmlEscape = (s: string): string => s.replace(/[&'"+<>\0]/g, (c) => HTML_ESCAPES[c] ?? c);

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `Mon, 02 Jan 2006 15:04:05 -0700` of the event time, in the offset it was written with. */
export function rfc2822(time: string): string {
  const t = parseEventTime(time);
  if (t === undefined) return time;
  const wd = new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay();
  const sign = t.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(t.offsetMinutes);
  return `${DAYS[wd]}, ${pad(t.day)} ${MONTHS[t.month - 1]} ${t.year} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

export interface MailHeaders {
  from: string;
  to: string;
  /** `text`: plain text only; anything else (`html`, the default): multipart with both. */
  outputformat: string;
}

/** The plain-text part (falcosidekick's plaintextTmpl). */
export function textPart(e: FalcoEvent): string {
  const fields = Object.keys(e.output_fields)
    .sort()
    .map((k) => `${k}: ${goPrint(e.output_fields[k], '<no value>')}\n`)
    .join('');
  return (
    `Priority: ${e.priority}\nOutput: ${e.output}\nRule: ${e.rule}\nSource: ${e.source}\n` +
    `Hostname: ${e.hostname}\nTags: ${e.tags.map((t) => `${t} `).join('')}\nTime: ${goTimeString(e.time)}\n\n` +
    `--Fields--\n${fields}\n\n`
  );
}

/** `[Error] <output>`: falcosidekick's subject. */
export const mailSubject = (e: FalcoEvent): string => `[${e.priority}] ${e.output}`;

/**
 * The whole message as falcosidekick's outputs/smtp.go writes it (LF line ends; the SMTP client sends
 * them as CRLF): Subject, From, To, Date, MIME-version, then the text part alone or a multipart with
 * the text and the html part.
 */
export function formatMail(e: FalcoEvent, h: MailHeaders): string {
  const html = h.outputformat !== 'text';
  let m = `Subject: ${mailSubject(e)}\nFrom: ${h.from}\nTo: ${h.to}\nDate: ${rfc2822(e.time)}\nMIME-version: 1.0\n`;
  if (html) m += `Content-Type: multipart/alternative; boundary=${BOUNDARY}\n\n\n--${BOUNDARY}\n`;
  m += 'Content-Type: text/plain; charset="UTF-8"\n\n' + textPart(e);
  if (!html) return m;
  const fields = Object.keys(e.output_fields)
    .sort()
    .map((k) => [k, goPrint(e.output_fields[k], '')] as const);
  m += `--${BOUNDARY}\nContent-Type: text/html; charset="UTF-8";\n\n`;
  m += htmlPart(
    e,
    COLORS[e.priority],
    e.tags.map((t) => `${htmlEscape(t)} `).join(''),
    goTimeString(e.time),
    fields,
    htmlEscape,
  );
  return m;
}

/** The SMTP DATA as Go's textproto writer sends it: every LF as CRLF. */
export const toCrlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');
