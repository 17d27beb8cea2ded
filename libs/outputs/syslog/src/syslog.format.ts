import type { FalcoEvent, Priority } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { goPrint, parseEventTime } from '@falconer/outputs-core';

/** Go's log/syslog severities (facility 0, as falcosidekick dials with the severity alone). */
const SEVERITY: Readonly<Record<Priority, number>> = {
  Emergency: 0,
  Alert: 1,
  Critical: 2,
  Error: 3,
  Warning: 4,
  Notice: 5,
  Informational: 6,
  Debug: 7,
};

/** falcosidekick's CEF severities (outputs/syslog.go getCEFSeverity). */
const CEF_SEVERITY: Readonly<Record<Priority, string>> = {
  Debug: '0',
  Informational: '3',
  Notice: '4',
  Warning: '6',
  Error: '7',
  Critical: '8',
  Alert: '9',
  Emergency: '10',
};

const pad = (n: number): string => String(Math.abs(n)).padStart(2, '0');

/** Go's `time.RFC3339` (seconds, the zone as written) of the event time. */
export function rfc3339Seconds(time: string): string {
  const t = parseEventTime(time);
  if (t === undefined) return time;
  const zone =
    t.offsetMinutes === 0
      ? 'Z'
      : `${t.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(t.offsetMinutes) / 60))}:${pad(Math.abs(t.offsetMinutes) % 60)}`;
  return `${String(t.year).padStart(4, '0')}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${zone}`;
}

/** `time.Now().Format(time.RFC3339)` in the process's local zone, as Go's syslog writer stamps lines. */
export function localRfc3339(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const zone =
    off === 0
      ? 'Z'
      : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}

/**
 * falcosidekick's CEF message: `CEF:0|Falcosecurity|Falco|1.0|Falco Event|<rule>|<severity>|uuid=… start=…
 * msg=… source=…[ hostname=…] outputfields=k:v k:v …[ tags=a,b]` (fields in sorted order; Go's map order
 * is random).
 */
export function formatCef(e: FalcoEvent): string {
  let s =
    `CEF:0|Falcosecurity|Falco|1.0|Falco Event|${e.rule}|${CEF_SEVERITY[e.priority]}|` +
    `uuid=${e.uuid} start=${rfc3339Seconds(e.time)} msg=${e.output} source=${e.source}`;
  if (e.hostname !== '') s += ` hostname=${e.hostname}`;
  s += ' outputfields=';
  for (const k of Object.keys(e.output_fields).sort()) s += `${k}:${goPrint(e.output_fields[k])} `;
  if (e.tags.length > 0) s += `tags=${e.tags.join(',')}`;
  return s.replace(/ $/, '');
}

export interface SyslogLine {
  format: 'json' | 'cef';
  /** This machine's name (`os.Hostname()` in Go). */
  hostname: string;
  pid: number;
  /** Clock in ms. */
  now: number;
}

/**
 * The line Go's log/syslog writes to a network syslog for one event:
 * `<severity>RFC3339-now hostname Falco[pid]: message\n`.
 */
export function syslogLine(e: FalcoEvent, o: SyslogLine): string {
  const msg = o.format === 'cef' ? formatCef(e) : serializeEvent(e);
  return `<${SEVERITY[e.priority]}>${localRfc3339(o.now)} ${o.hostname} Falco[${o.pid}]: ${msg}${msg.endsWith('\n') ? '' : '\n'}`;
}
