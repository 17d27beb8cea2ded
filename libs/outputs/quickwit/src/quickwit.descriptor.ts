import { serializeEventLines } from '@falconer/falco';
import {
  defineOutput,
  HTTP_SETTINGS,
  setting,
  type HttpSender,
  type SendResult,
  batchedRequests,
} from '@falconer/outputs-core';
import { quickwitIndexConfig } from './quickwit.format';

export const QUICKWIT_SETTINGS = {
  hostport: setting.url('Quickwit base URL, `http://quickwit:7280` (enables the output)', { required: true }),
  apiendpoint: setting.string('API path', 'api/v1'),
  index: setting.string('Index', 'falco'),
  version: setting.string('Index config version (with `autocreateindex`)', '0.7'),
  autocreateindex: setting.bool("Create the index with falcosidekick's mapping when it is missing", false),
  ...HTTP_SETTINGS,
};

/** The index exists, or is created with falcosidekick's mapping (400 = it already exists). */
async function ensureIndex(
  http: HttpSender,
  signal: AbortSignal,
  api: string,
  index: string,
  version: string,
): Promise<SendResult> {
  const described = await http.request({ method: 'GET', url: `${api}/indexes/${index}/describe` }, signal);
  if (described.response && described.response.status >= 200 && described.response.status < 300)
    return { ok: true };
  const created = await http.request(
    { method: 'POST', url: `${api}/indexes`, body: quickwitIndexConfig(index, version) },
    signal,
  );
  if (created.failure) return created.failure;
  if (created.response.status === 400) return { ok: true };
  return http.classify(created.response, `${api}/indexes`) ?? { ok: true };
}

export const quickwitOutput = defineOutput({
  type: 'quickwit',
  title: 'Quickwit',
  section: 'quickwit',
  enabledBy: ['hostport'],
  settings: QUICKWIT_SETTINGS,
  falcosidekick: 'outputs/quickwit.go',
  summary:
    "Ingests the event JSON into a Quickwit index (`/<apiendpoint>/<index>/ingest`), optionally creating the index with falcosidekick's mapping; the events queued together go in one request, one per line.",
  example: `quickwit:
  hostport: http://quickwit:7280
  index: falco
  autocreateindex: true`,
  create: (v, ctx) => {
    const api = `${v.hostport.replace(/\/+$/, '')}/${v.apiendpoint.replace(/^\/+|\/+$/g, '')}`;
    return batchedRequests(
      v,
      ctx,
      (events) => ({ method: 'POST', url: `${api}/${v.index}/ingest`, body: serializeEventLines(events) }),
      v.autocreateindex ? { init: (http, signal) => ensureIndex(http, signal, api, v.index, v.version) } : {},
    );
  },
});
