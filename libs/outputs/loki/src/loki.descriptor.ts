import { defineOutput, HTTP_SETTINGS, setting } from '@falconer/outputs-core';
import { lokiConfig } from './loki.config';
import { lokiOutputInstance } from './loki.output';

export const LOKI_SETTINGS = {
  hostport: setting.url('Loki base URL, `http://loki:3100` (enables the output)', { required: true }),
  endpoint: setting.string('Push API path', '/loki/api/v1/push'),
  user: setting.string('Basic auth user (with `apikey`)'),
  apikey: setting.string('Basic auth password / API key (with `user`)', '', { secret: true }),
  tenant: setting.string('Tenant, sent as `X-Scope-OrgID`'),
  format: setting.enum(
    'Log line: the event `text` (its output) or the whole event as `json`',
    ['text', 'json'] as const,
    'text',
  ),
  extralabels: setting.list('Output fields added as stream labels (`proc.name,fd.name`)'),
  ...HTTP_SETTINGS,
};

export const lokiOutput = defineOutput({
  type: 'loki',
  title: 'Grafana Loki',
  section: 'loki',
  enabledBy: ['hostport'],
  settings: LOKI_SETTINGS,
  falcosidekick: 'outputs/loki.go',
  summary:
    "Pushes events to Loki's push API: falcosidekick's stream labels (`rule`, `source`, `priority`, `hostname`, `tags`, Kubernetes namespace and pod, `extralabels`), the event's own nanosecond timestamp, and several streams per push under load.",
  example: `loki:
  hostport: http://loki:3100
  tenant: security
  format: json
  extralabels: proc.name,container.image.repository
  minimumpriority: notice`,
  create: (values, ctx) => lokiOutputInstance(ctx.name, lokiConfig(values, ctx)),
});
