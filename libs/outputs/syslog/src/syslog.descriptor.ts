import { hostname } from 'node:os';
import { COMMON_SETTINGS, defineOutput, setting } from '@falconer/outputs-core';
import { SyslogOutput } from './syslog.output';

export const SYSLOG_SETTINGS = {
  host: setting.string('Syslog server host (enables the output)', '', { required: true }),
  port: setting.int('Syslog server port', 514, { min: 1, max: 65535 }),
  protocol: setting.enum('`tcp` or `udp`', ['tcp', 'udp'] as const, 'tcp'),
  format: setting.enum('`json` (the event JSON) or `cef`', ['json', 'cef'] as const, 'json'),
  ...COMMON_SETTINGS,
};

export const syslogOutput = defineOutput({
  type: 'syslog',
  title: 'Syslog',
  section: 'syslog',
  enabledBy: ['host'],
  settings: SYSLOG_SETTINGS,
  falcosidekick: 'outputs/syslog.go',
  summary:
    "Sends each event to a syslog server over TCP or UDP as the line Go's log/syslog writes (`<severity>time host Falco[pid]: message`), the message being the event JSON or falcosidekick's CEF; one kept connection.",
  example: `syslog:
  host: syslog.example.com
  port: 514
  protocol: tcp
  format: cef`,
  create: (values, ctx) =>
    new SyslogOutput(ctx.name, ctx.type, {
      host: values.host,
      port: values.port,
      protocol: values.protocol,
      format: values.format,
      hostname: hostname(),
      pid: process.pid,
      now: ctx.now ?? Date.now,
    }),
});
