import {
  httpOptions,
  SettingsReader,
  type BatchPolicy,
  type HttpSenderOptions,
  type OutputContext,
  type OutputSpec,
} from '@falconer/outputs-core';

export type IndexSuffix = 'daily' | 'monthly' | 'annually' | 'none';

export interface ElasticsearchConfig {
  /** Without trailing slash. */
  hostport: string;
  index: string;
  type: string;
  suffix: IndexSuffix;
  pipeline: string;
  /** `Authorization` header value (APIKey or Basic), empty when none. */
  authorization: string;
  /** Output field keys `.` → `_` (flattenfields, or implied by createindextemplate). */
  flatten: boolean;
  createindextemplate: boolean;
  numberofshards: number;
  numberofreplicas: number;
  compression: boolean;
  /** Present when `batching.enabled`: the delivery layer groups events for `_bulk`. */
  batch?: BatchPolicy;
  http: HttpSenderOptions;
}

/** `elasticsearch.*` (spec/outputs.md). */
export function readElasticsearchConfig(
  spec: OutputSpec,
  ctx: OutputContext,
): { config: ElasticsearchConfig; errors: string[] } {
  const r = new SettingsReader(spec.settings, spec.path);
  const hostport = r.url('hostport', true).replace(/\/+$/, '');
  const apikey = r.string('apikey');
  const username = r.string('username');
  const password = r.string('password');
  const basic =
    username !== '' && password !== '' ? Buffer.from(`${username}:${password}`).toString('base64') : '';
  const authorization = apikey !== '' ? `APIKey ${apikey}` : basic !== '' ? `Basic ${basic}` : '';
  const index = r.string('index', 'falco');
  if (!/^[^A-Z\\/*?"<>| ,#:]+$/.test(index) || index.startsWith('-') || index.startsWith('_')) {
    r.error('index', `not a valid Elasticsearch index name: "${index}"`);
  }
  const createindextemplate = r.bool('createindextemplate', false);
  const batching = r.bool('batching.enabled', false);
  const batchBytes = r.int('batching.batchsize', 5_242_880, 1024);
  const flushIntervalMs = r.duration('batching.flushinterval', 1000);
  const config: ElasticsearchConfig = {
    hostport,
    index,
    type: r.string('type', '_doc'),
    suffix: r.oneOf('suffix', ['daily', 'monthly', 'annually', 'none'] as const, 'daily'),
    pipeline: r.string('pipeline'),
    authorization,
    flatten: r.bool('flattenfields', false) || createindextemplate,
    createindextemplate,
    numberofshards: r.int('numberofshards', 3, 1, 1024),
    numberofreplicas: r.int('numberofreplicas', 3, 0, 1024),
    compression: r.bool('enablecompression', false),
    ...(batching ? { batch: { maxEvents: 10_000, maxBytes: batchBytes, flushIntervalMs } } : {}),
    http: httpOptions(r, ctx, [apikey, password, basic]),
  };
  return { config, errors: r.errors };
}
