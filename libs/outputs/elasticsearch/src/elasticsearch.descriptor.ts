import { defineOutput, HTTP_SETTINGS, setting } from '@falconer/outputs-core';
import { elasticsearchConfig } from './elasticsearch.config';
import { ElasticsearchOutput } from './elasticsearch.output';

export const ELASTICSEARCH_SETTINGS = {
  hostport: setting.url('Elasticsearch URL, `http(s)://host:port` (enables the output)', { required: true }),
  index: setting.string('Index name (a date suffix is added)', 'falco'),
  type: setting.string('Document type (Elasticsearch < 7)', '_doc'),
  suffix: setting.enum('Index date suffix', ['daily', 'monthly', 'annually', 'none'] as const, 'daily'),
  pipeline: setting.string('Ingest pipeline to run'),
  apikey: setting.string('API key (`Authorization: APIKey …`); wins over username/password', '', {
    secret: true,
  }),
  username: setting.string('Basic auth user'),
  password: setting.string('Basic auth password', '', { secret: true }),
  flattenfields: setting.bool('Output field keys with `.` replaced by `_`', false),
  createindextemplate: setting.bool('Create an index template at start (implies flattenfields)', false),
  numberofshards: setting.int('Shards of the created index template', 3, { min: 1, max: 1024 }),
  numberofreplicas: setting.int('Replicas of the created index template', 3, { min: 0, max: 1024 }),
  enablecompression: setting.bool('Gzip request bodies', false),
  'batching.enabled': setting.bool('Send events in `_bulk` requests', false),
  'batching.batchsize': setting.int('Most bytes per `_bulk` request', 5_242_880, { min: 1024 }),
  'batching.flushinterval': setting.duration('Longest wait before a partial `_bulk` is sent', 1000),
  ...HTTP_SETTINGS,
};

export const elasticsearchOutput = defineOutput({
  type: 'elasticsearch',
  title: 'Elasticsearch',
  section: 'elasticsearch',
  enabledBy: ['hostport'],
  settings: ELASTICSEARCH_SETTINGS,
  falcosidekick: 'outputs/elasticsearch.go',
  summary:
    'Indexes each event as a document (one request per event, or `_bulk` batches with per-item outcomes), into a daily/monthly/annual index.',
  example: `elasticsearch:
  hostport: http://elasticsearch:9200
  index: falco
  suffix: daily
  batching:
    enabled: true
    flushinterval: 1s`,
  create: (values, ctx) => new ElasticsearchOutput(ctx.name, elasticsearchConfig(values, ctx), ctx.notice),
});
