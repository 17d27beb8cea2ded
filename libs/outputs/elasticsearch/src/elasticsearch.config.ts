import {
  httpOptions,
  type BatchPolicy,
  type CreateContext,
  type HttpSenderOptions,
  type SettingValues,
} from '@falconer/outputs-core';
import type { ELASTICSEARCH_SETTINGS } from './elasticsearch.descriptor';

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

/** `elasticsearch.*` (spec/outputs.md) as the output takes them. */
export function elasticsearchConfig(
  v: SettingValues<typeof ELASTICSEARCH_SETTINGS>,
  ctx: CreateContext,
): ElasticsearchConfig {
  const basic =
    v.username !== '' && v.password !== ''
      ? Buffer.from(`${v.username}:${v.password}`).toString('base64')
      : '';
  const authorization = v.apikey !== '' ? `APIKey ${v.apikey}` : basic !== '' ? `Basic ${basic}` : '';
  if (!/^[^A-Z\\/*?"<>| ,#:]+$/.test(v.index) || v.index.startsWith('-') || v.index.startsWith('_')) {
    ctx.error('index', `not a valid Elasticsearch index name: "${v.index}"`);
  }
  return {
    hostport: v.hostport.replace(/\/+$/, ''),
    index: v.index,
    type: v.type,
    suffix: v.suffix,
    pipeline: v.pipeline,
    authorization,
    flatten: v.flattenfields || v.createindextemplate,
    createindextemplate: v.createindextemplate,
    numberofshards: v.numberofshards,
    numberofreplicas: v.numberofreplicas,
    compression: v.enablecompression,
    ...(v['batching.enabled']
      ? {
          batch: {
            maxEvents: 10_000,
            maxBytes: v['batching.batchsize'],
            flushIntervalMs: v['batching.flushinterval'],
          },
        }
      : {}),
    http: httpOptions(v, ctx, { secrets: [basic] }),
  };
}
