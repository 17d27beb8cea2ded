import { defineOutput, HTTP_SETTINGS, setting } from '@falconer/outputs-core';
import { webhookConfig } from './webhook.config';
import { WebhookOutput } from './webhook.output';

export const WEBHOOK_SETTINGS = {
  address: setting.url('Destination URL (enables the output)', { required: true, secret: true }),
  method: setting.enum('HTTP method', ['POST', 'PUT'] as const, 'POST'),
  'signing.secret': setting.string('HMAC-SHA256 key: adds `X-Falconer-Signature: t=<unix>,v1=<hex>`', '', {
    secret: true,
    extension: true,
  }),
  batch: setting.bool('Send a JSON array of events per request', false, { extension: true }),
  batchsize: setting.int('Most events per batch', 100, { min: 1, max: 100_000, extension: true }),
  flushinterval: setting.duration('Longest wait before a partial batch is sent', 1000, { extension: true }),
  ...HTTP_SETTINGS,
};

const EXAMPLE = (section: string): string => `${section}:
  address: https://soc.example/falco
  customheaders: "X-Team:blue"
  minimumpriority: notice`;

export const webhookOutput = defineOutput({
  type: 'webhook',
  title: 'Webhook',
  section: 'webhook',
  enabledBy: ['address'],
  settings: WEBHOOK_SETTINGS,
  falcosidekick: 'outputs/webhook.go',
  summary:
    "POSTs (or PUTs) the event as falcosidekick's JSON payload; optionally HMAC-signed, optionally as a JSON array per batch.",
  example: EXAMPLE('webhook'),
  create: (values, ctx) => new WebhookOutput(ctx.name, ctx.type, webhookConfig(values, ctx), ctx.now),
});

/** falcosidekick's `talon:` section: Falco Talon takes the webhook body. */
export const talonOutput = defineOutput({
  ...webhookOutput,
  type: 'talon',
  title: 'Falco Talon',
  section: 'talon',
  falcosidekick: 'outputs/talon.go',
  summary: "Sends the event to Falco Talon's webhook endpoint (falcosidekick's payload).",
  example: `talon:
  address: http://falco-talon:2803`,
});
