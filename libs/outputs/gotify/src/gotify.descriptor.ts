import { defineOutput, HTTP_SETTINGS, postEachTo, setting } from '@falconer/outputs-core';
import { formatGotify } from './gotify.format';

export const GOTIFY_SETTINGS = {
  hostport: setting.url('Gotify server, `http(s)://host:port` (enables the output)', { required: true }),
  token: setting.string('Application token (`X-Gotify-Key`)', '', { secret: true }),
  format: setting.enum(
    'Message format: `markdown`, `plaintext` (or `text`) or `json` (the event)',
    ['markdown', 'plaintext', 'text', 'json'] as const,
    'markdown',
  ),
  ...HTTP_SETTINGS,
};

export const gotifyOutput = defineOutput({
  type: 'gotify',
  title: 'Gotify',
  section: 'gotify',
  enabledBy: ['hostport'],
  settings: GOTIFY_SETTINGS,
  falcosidekick: 'outputs/gotify.go',
  summary:
    "Pushes one message per event to a Gotify server (`POST /message`): falcosidekick's title, priority level and markdown, plain-text or JSON message.",
  example: `gotify:
  hostport: https://gotify.example
  token: AbCdEf123456
  format: markdown`,
  create: (v, ctx) =>
    postEachTo(
      `${v.hostport.replace(/\/+$/, '')}/message`,
      v,
      ctx,
      (event) => formatGotify(event, v.format),
      v.token !== '' ? { 'X-Gotify-Key': v.token } : undefined,
    ),
});
