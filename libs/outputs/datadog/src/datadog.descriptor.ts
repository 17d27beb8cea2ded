import {
  defineOutput,
  HTTP_SETTINGS,
  httpOptions,
  RequestOutput,
  setting,
  FALCOSIDEKICK_SUCCESS,
  batchedRequests,
} from '@falconer/outputs-core';
import { formatDatadogEvent, formatDatadogLogs } from './datadog.format';

const base = (host: string): string => host.replace(/\/+$/, '');

export const DATADOG_DEFAULT_HOST = 'https://api.datadoghq.com';

export const DATADOG_SETTINGS = {
  apikey: setting.string('Datadog API key (enables the output)', '', { required: true, secret: true }),
  host: setting.url(`Datadog API site (default \`${DATADOG_DEFAULT_HOST}\`)`),
  ...HTTP_SETTINGS,
};

export const datadogOutput = defineOutput({
  type: 'datadog',
  title: 'Datadog events',
  section: 'datadog',
  enabledBy: ['apikey'],
  settings: DATADOG_SETTINGS,
  falcosidekick: 'outputs/datadog.go',
  summary:
    'Posts a Datadog event per event (`/api/v1/events`): title = the rule, text = the output, alert type from the priority, string output fields, source, hostname and event tags as tags.',
  example: `datadog:
  apikey: 0123456789abcdef0123456789abcdef
  host: https://api.datadoghq.eu
  minimumpriority: warning`,
  create: (v, ctx) =>
    new RequestOutput(ctx.name, {
      type: 'datadog',
      http: httpOptions(v, ctx, { success: FALCOSIDEKICK_SUCCESS }),
      request: ([event]) => ({
        method: 'POST',
        url: `${base(v.host || DATADOG_DEFAULT_HOST)}/api/v1/events?api_key=${encodeURIComponent(v.apikey)}`,
        body: formatDatadogEvent(event!),
      }),
    }),
});

export const DATADOG_LOGS_DEFAULT_HOST = 'https://http-intake.logs.datadoghq.com/';

export const DATADOG_LOGS_SETTINGS = {
  apikey: setting.string('Datadog API key (enables the output)', '', { required: true, secret: true }),
  host: setting.url(`Logs intake site (default \`${DATADOG_LOGS_DEFAULT_HOST}\`)`),
  service: setting.string('`service` of every log'),
  ...HTTP_SETTINGS,
};

export const datadogLogsOutput = defineOutput({
  type: 'datadoglogs',
  title: 'Datadog Logs',
  section: 'datadoglogs',
  enabledBy: ['apikey'],
  settings: DATADOG_LOGS_SETTINGS,
  falcosidekick: 'outputs/datadog_logs.go',
  summary:
    'Sends events as Datadog logs (`/api/v2/logs`, `ddsource: falco`, the event JSON as the message, its tags as `ddtags`); the events queued together go in one request.',
  example: `datadoglogs:
  apikey: 0123456789abcdef0123456789abcdef
  host: https://http-intake.logs.datadoghq.eu
  service: falco`,
  create: (v, ctx) =>
    batchedRequests(v, ctx, (events) => ({
      method: 'POST',
      url: `${base(v.host || DATADOG_LOGS_DEFAULT_HOST)}/api/v2/logs`,
      headers: { 'DD-API-KEY': v.apikey },
      body: formatDatadogLogs(events, v.service),
    })),
});
