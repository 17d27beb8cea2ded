import {
  defineOutput,
  HTTP_SETTINGS,
  httpOptions,
  setting,
  FALCOSIDEKICK_SUCCESS,
} from '@falconer/outputs-core';
import { opsgenieOutputInstance } from './opsgenie.output';

/** Alert API v2 by region. */
export const OPSGENIE_ENDPOINTS = {
  us: 'https://api.opsgenie.com/v2/alerts',
  eu: 'https://api.eu.opsgenie.com/v2/alerts',
} as const;

export const OPSGENIE_SETTINGS = {
  apikey: setting.string('API key of an Opsgenie API integration (enables the output)', '', {
    required: true,
    secret: true,
  }),
  region: setting.enum('Opsgenie region', ['us', 'eu'] as const, 'us'),
  endpoint: setting.url("Alert API URL instead of the region's (a proxy, a test receiver)", {
    extension: true,
  }),
  ...HTTP_SETTINGS,
};

export const opsgenieOutput = defineOutput({
  type: 'opsgenie',
  title: 'Opsgenie',
  section: 'opsgenie',
  enabledBy: ['apikey'],
  settings: OPSGENIE_SETTINGS,
  falcosidekick: 'outputs/opsgenie.go',
  summary:
    'Creates an Opsgenie alert per event (Alert API v2): message = the output, description = the rule, P1–P5 from the priority, string output fields as details.',
  example: `opsgenie:
  apikey: 0123abcd-0123-abcd-0123-0123456789ab
  region: eu
  minimumpriority: error`,
  create: (v, ctx) =>
    opsgenieOutputInstance(ctx.name, {
      url: v.endpoint || OPSGENIE_ENDPOINTS[v.region],
      apiKey: v.apikey,
      http: httpOptions(v, ctx, { success: FALCOSIDEKICK_SUCCESS }),
    }),
});
