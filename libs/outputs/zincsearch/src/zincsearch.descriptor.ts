import { serializeEventLines } from '@falconer/falco';
import {
  basicAuthHeaders,
  defineOutput,
  HTTP_BATCH,
  HTTP_SETTINGS,
  httpOptions,
  RequestOutput,
  setting,
  FALCOSIDEKICK_SUCCESS,
} from '@falconer/outputs-core';

export const ZINCSEARCH_SETTINGS = {
  hostport: setting.url('ZincSearch base URL, `http://zincsearch:4080` (enables the output)', {
    required: true,
  }),
  index: setting.string('Index', 'falco'),
  username: setting.string('Basic auth user (with `password`)'),
  password: setting.string('Basic auth password (with `username`)', '', { secret: true }),
  ...HTTP_SETTINGS,
};

export const zincsearchOutput = defineOutput({
  type: 'zincsearch',
  title: 'ZincSearch',
  section: 'zincsearch',
  enabledBy: ['hostport'],
  settings: ZINCSEARCH_SETTINGS,
  falcosidekick: 'outputs/zincsearch.go',
  summary:
    'Indexes the event JSON in ZincSearch: one event to `/api/<index>/_doc` as falcosidekick does, the events queued together to `/api/<index>/_multi`, one per line.',
  example: `zincsearch:
  hostport: http://zincsearch:4080
  index: falco
  username: admin
  password: Complexpass#123`,
  create: (v, ctx) => {
    const auth = basicAuthHeaders(v.username, v.password);
    const base = `${v.hostport.replace(/\/+$/, '')}/api/${v.index}`;
    return new RequestOutput(ctx.name, {
      type: 'zincsearch',
      http: httpOptions(v, ctx, { success: FALCOSIDEKICK_SUCCESS, secrets: [auth.secret] }),
      batch: HTTP_BATCH,
      request: (events) => ({
        method: 'POST',
        url: events.length === 1 ? `${base}/_doc` : `${base}/_multi`,
        headers: auth.headers,
        body: serializeEventLines(events),
      }),
    });
  },
});
