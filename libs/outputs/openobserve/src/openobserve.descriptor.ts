import { serializeEventLines } from '@falconer/falco';
import {
  basicAuthHeaders,
  defineOutput,
  HTTP_SETTINGS,
  setting,
  batchedRequests,
  USERNAME_PASSWORD_SETTINGS,
} from '@falconer/outputs-core';

export const OPENOBSERVE_SETTINGS = {
  hostport: setting.url('OpenObserve base URL, `http://openobserve:5080` (enables the output)', {
    required: true,
  }),
  organizationname: setting.string('Organisation', 'default'),
  streamname: setting.string('Stream', 'falco'),
  ...USERNAME_PASSWORD_SETTINGS,
  ...HTTP_SETTINGS,
};

export const openObserveOutput = defineOutput({
  type: 'openobserve',
  title: 'OpenObserve',
  section: 'openobserve',
  enabledBy: ['hostport'],
  settings: OPENOBSERVE_SETTINGS,
  falcosidekick: 'outputs/openobserve.go',
  summary:
    'Ingests the event JSON into an OpenObserve stream (`/api/<org>/<stream>/_multi`); the events queued together go in one request, one per line.',
  example: `openobserve:
  hostport: http://openobserve:5080
  organizationname: default
  streamname: falco
  username: root@example.com
  password: Complexpass#123`,
  create: (v, ctx) => {
    const auth = basicAuthHeaders(v.username, v.password);
    return batchedRequests(
      v,
      ctx,
      (events) => ({
        method: 'POST',
        url: `${v.hostport.replace(/\/+$/, '')}/api/${v.organizationname}/${v.streamname}/_multi`,
        headers: auth.headers,
        // falcosidekick posts one event JSON (encoder newline) per request; `_multi` takes them as lines
        body: serializeEventLines(events),
      }),
      { secrets: [auth.secret] },
    );
  },
});
