import { serializeEventLines } from '@falconer/falco';
import {
  basicAuthHeaders,
  defineOutput,
  HTTP_SETTINGS,
  setting,
  batchedRequests,
  USERNAME_PASSWORD_SETTINGS,
} from '@falconer/outputs-core';

export const ZINCSEARCH_SETTINGS = {
  hostport: setting.url('ZincSearch base URL, `http://zincsearch:4080` (enables the output)', {
    required: true,
  }),
  index: setting.string('Index', 'falco'),
  ...USERNAME_PASSWORD_SETTINGS,
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
    return batchedRequests(
      v,
      ctx,
      (events) => ({
        method: 'POST',
        url: events.length === 1 ? `${base}/_doc` : `${base}/_multi`,
        headers: auth.headers,
        body: serializeEventLines(events),
      }),
      { secrets: [auth.secret] },
    );
  },
});
