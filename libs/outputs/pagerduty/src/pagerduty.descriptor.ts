import { defineOutput, HTTP_SETTINGS, httpOptions, setting } from '@falconer/outputs-core';
import { pagerdutyOutputInstance } from './pagerduty.output';

/** Events API v2 by region. */
export const PAGERDUTY_ENDPOINTS = {
  us: 'https://events.pagerduty.com/v2/enqueue',
  eu: 'https://events.eu.pagerduty.com/v2/enqueue',
} as const;

export const PAGERDUTY_SETTINGS = {
  routingkey: setting.string(
    'Integration (routing) key of the Events API v2 service (enables the output)',
    '',
    {
      required: true,
      secret: true,
    },
  ),
  region: setting.enum('PagerDuty service region', ['us', 'eu'] as const, 'us'),
  endpoint: setting.url("Events API URL instead of the region's (a proxy, a test receiver)", {
    extension: true,
  }),
  ...HTTP_SETTINGS,
};

export const pagerdutyOutput = defineOutput({
  type: 'pagerduty',
  title: 'PagerDuty',
  section: 'pagerduty',
  enabledBy: ['routingkey'],
  settings: PAGERDUTY_SETTINGS,
  falcosidekick: 'outputs/pagerduty.go',
  summary:
    'Triggers a PagerDuty incident per event through the Events API v2 (summary = the output, severity critical, the output fields and hostname as custom details).',
  example: `pagerduty:
  routingkey: R0123456789ABCDEF0123456789ABCDE
  region: eu
  minimumpriority: critical`,
  create: (v, ctx) =>
    pagerdutyOutputInstance(ctx.name, {
      url: v.endpoint || PAGERDUTY_ENDPOINTS[v.region],
      routingKey: v.routingkey,
      // go-pagerduty counts only 202 Accepted as delivered
      http: httpOptions(v, ctx, { success: new Set([202]) }),
    }),
});
