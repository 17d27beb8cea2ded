import {
  defineOutput,
  HTTP_SETTINGS,
  httpOptions,
  RequestOutput,
  setting,
  FALCOSIDEKICK_SUCCESS,
} from '@falconer/outputs-core';
import { formatGrafanaAnnotation, formatGrafanaOnCall } from './grafana.format';

export const GRAFANA_SETTINGS = {
  hostport: setting.url('Grafana base URL, `http://grafana:3000` (enables the output, with `apikey`)', {
    required: true,
  }),
  apikey: setting.string('Service account token (Bearer)', '', { required: true, secret: true }),
  dashboardid: setting.int('Dashboard to annotate (0 = an organisation-wide annotation)', 0, { min: 0 }),
  panelid: setting.int('Panel to annotate (0 = the whole dashboard)', 0, { min: 0 }),
  allfieldsastags: setting.bool('Add every output field value and the event tags as annotation tags', false),
  ...HTTP_SETTINGS,
};

export const grafanaOutput = defineOutput({
  type: 'grafana',
  title: 'Grafana annotations',
  section: 'grafana',
  enabledBy: ['hostport'],
  settings: GRAFANA_SETTINGS,
  falcosidekick: 'outputs/grafana.go',
  summary:
    'Creates a Grafana annotation per event (`/api/annotations`) at the event time, tagged `falco`, priority, rule, source and hostname.',
  example: `grafana:
  hostport: http://grafana:3000
  apikey: glsa_xxxxxxxx
  dashboardid: 12
  panelid: 3
  allfieldsastags: true`,
  create: (v, ctx) =>
    new RequestOutput(ctx.name, {
      type: 'grafana',
      http: httpOptions(v, ctx, { success: FALCOSIDEKICK_SUCCESS }),
      request: ([event]) => ({
        method: 'POST',
        url: `${v.hostport.replace(/\/+$/, '')}/api/annotations`,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${v.apikey}` },
        body: formatGrafanaAnnotation(event!, {
          dashboardId: v.dashboardid,
          panelId: v.panelid,
          allFieldsAsTags: v.allfieldsastags,
        }),
      }),
    }),
});

export const GRAFANA_ONCALL_SETTINGS = {
  webhookurl: setting.url('Grafana OnCall "Formatted webhook" integration URL (enables the output)', {
    required: true,
    secret: true,
  }),
  ...HTTP_SETTINGS,
};

export const grafanaOnCallOutput = defineOutput({
  type: 'grafanaoncall',
  title: 'Grafana OnCall',
  section: 'grafanaoncall',
  enabledBy: ['webhookurl'],
  settings: GRAFANA_ONCALL_SETTINGS,
  falcosidekick: 'outputs/grafana.go',
  summary:
    'Raises a Grafana OnCall alert per event through a formatted-webhook integration (`alert_uid` = the event uuid, title `[priority] rule`, message = the output).',
  example: `grafanaoncall:
  webhookurl: https://oncall.example/integrations/v1/formatted_webhook/abcdef/`,
  create: (v, ctx) =>
    new RequestOutput(ctx.name, {
      type: 'grafanaoncall',
      http: httpOptions(v, ctx, { success: FALCOSIDEKICK_SUCCESS }),
      request: ([event]) => ({
        method: 'POST',
        url: v.webhookurl,
        headers: { 'Content-Type': 'application/json' },
        body: formatGrafanaOnCall(event!),
      }),
    }),
});
