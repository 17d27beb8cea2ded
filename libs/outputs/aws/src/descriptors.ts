import { COMMON_SETTINGS, defineOutput, setting, type CreateContext } from '@falconer/outputs-core';
import { AWS_SHARED, awsClientConfig, type AwsValues } from './aws-client';
import {
  CloudWatchLogsOutput,
  DEFAULT_LOG_STREAM,
  KinesisOutput,
  LambdaOutput,
  S3Output,
  SecurityLakeOutput,
  SnsOutput,
  SqsOutput,
  type OutputArgs,
} from './outputs';

const endpoint = (dflt = '', extension = true) =>
  setting.string('Endpoint of this service (VPC endpoint, S3-compatible store, tests)', dflt, { extension });

function args(v: AwsValues & { endpoint: string }, ctx: CreateContext): OutputArgs {
  return {
    name: ctx.name,
    type: ctx.type,
    aws: v,
    config: awsClientConfig(v, ctx, v.endpoint),
    secrets: ctx.secrets,
  };
}

const example = (section: string, sub: string, body: string): string => `${section}:
  region: eu-west-1
  accesskeyid: AKIA...       # or empty: the SDK default chain (IRSA, instance role)
  secretaccesskey: "..."
  ${sub}:
${body}`;

export const awsLambdaOutput = defineOutput({
  type: 'awslambda',
  title: 'AWS Lambda',
  section: 'aws',
  subsection: 'lambda',
  instanceName: 'awslambda',
  enabledBy: ['functionname'],
  settings: {
    ...AWS_SHARED,
    functionname: setting.string('Function name or ARN (enables the output)', '', { required: true }),
    invocationtype: setting.enum(
      'Invocation type',
      ['RequestResponse', 'Event', 'DryRun'] as const,
      'RequestResponse',
    ),
    logtype: setting.enum('Log type', ['Tail', 'None'] as const, 'Tail'),
    endpoint: endpoint(),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/aws.go',
  summary: 'Invokes an AWS Lambda function with the event JSON as payload.',
  example: example('aws', 'lambda', '    functionname: falco-responder'),
  create: (v, ctx) => new LambdaOutput(args(v, ctx), v),
});

export const awsSqsOutput = defineOutput({
  type: 'awssqs',
  title: 'AWS SQS',
  section: 'aws',
  subsection: 'sqs',
  instanceName: 'awssqs',
  enabledBy: ['url'],
  settings: {
    ...AWS_SHARED,
    url: setting.url('Queue URL (enables the output)', { required: true }),
    endpoint: endpoint(),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/aws.go',
  summary: 'Sends one SQS message per event, the event JSON as body.',
  example: example('aws', 'sqs', '    url: https://sqs.eu-west-1.amazonaws.com/123456789012/falco'),
  create: (v, ctx) => new SqsOutput(args(v, ctx), v.url),
});

export const awsSnsOutput = defineOutput({
  type: 'awssns',
  title: 'AWS SNS',
  section: 'aws',
  subsection: 'sns',
  instanceName: 'awssns',
  enabledBy: ['topicarn'],
  settings: {
    ...AWS_SHARED,
    topicarn: setting.string('Topic ARN (enables the output)', '', { required: true }),
    rawjson: setting.bool('Publish the event JSON instead of the output line with attributes', false),
    endpoint: endpoint(),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/aws.go',
  summary:
    "Publishes to an SNS topic: the `output` line with the event's priority, rule, source, tags, hostname and output fields as message attributes, or the raw event JSON.",
  example: example('aws', 'sns', '    topicarn: arn:aws:sns:eu-west-1:123456789012:falco'),
  create: (v, ctx) => new SnsOutput(args(v, ctx), v),
});

export const awsCloudWatchLogsOutput = defineOutput({
  type: 'awscloudwatchlogs',
  title: 'AWS CloudWatch Logs',
  section: 'aws',
  subsection: 'cloudwatchlogs',
  instanceName: 'awscloudwatchlogs',
  enabledBy: ['loggroup'],
  settings: {
    ...AWS_SHARED,
    loggroup: setting.string('Log group (enables the output)', '', { required: true }),
    logstream: setting.string(`Log stream (empty: \`${DEFAULT_LOG_STREAM}\`, created on first use)`),
    endpoint: endpoint(),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/aws.go',
  summary:
    "Writes each event JSON as a log event (timestamped with the event's time) with PutLogEvents, several events per call.",
  example: example('aws', 'cloudwatchlogs', '    loggroup: /falco/alerts'),
  create: (v, ctx) =>
    new CloudWatchLogsOutput(args(v, ctx), {
      loggroup: v.loggroup,
      logstream: v.logstream === '' ? DEFAULT_LOG_STREAM : v.logstream,
    }),
});

export const awsS3Output = defineOutput({
  type: 'awss3',
  title: 'AWS S3',
  section: 'aws',
  subsection: 's3',
  instanceName: 'awss3',
  enabledBy: ['bucket'],
  settings: {
    ...AWS_SHARED,
    bucket: setting.string('Bucket (enables the output)', '', { required: true }),
    prefix: setting.string('Key prefix', 'falco'),
    objectcannedacl: setting.string('Canned ACL of each object', 'bucket-owner-full-control'),
    endpoint: endpoint('', false),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/aws.go',
  summary:
    'Stores each event JSON as an object `<prefix>/<YYYY-MM-DD>/<RFC 3339 upload time>.json` (CRC32 checksum, for Object Lock buckets).',
  example: example('aws', 's3', '    bucket: falco-alerts\n    prefix: falco'),
  create: (v, ctx) => new S3Output(args(v, ctx), v, ctx.now ?? Date.now),
});

export const awsKinesisOutput = defineOutput({
  type: 'awskinesis',
  title: 'AWS Kinesis',
  section: 'aws',
  subsection: 'kinesis',
  instanceName: 'awskinesis',
  enabledBy: ['streamname'],
  settings: {
    ...AWS_SHARED,
    streamname: setting.string('Stream name (enables the output)', '', { required: true }),
    endpoint: endpoint(),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/aws.go',
  summary: 'Puts one Kinesis record per event (the event JSON, a random partition key).',
  example: example('aws', 'kinesis', '    streamname: falco'),
  create: (v, ctx) => new KinesisOutput(args(v, ctx), v.streamname),
});

export const awsSecurityLakeOutput = defineOutput({
  type: 'awssecuritylake',
  title: 'AWS Security Lake',
  section: 'aws',
  subsection: 'securitylake',
  instanceName: 'awssecuritylake',
  enabledBy: ['bucket'],
  settings: {
    ...AWS_SHARED,
    bucket: setting.string('Bucket of the Security Lake custom source (enables the output)', '', {
      required: true,
    }),
    // falcosidekick's own `aws.securitylake.region` (the bucket's): it replaces `aws.region` for this output
    region: setting.string("Region of the bucket: in each key (`region=…`) and the S3 client's region", '', {
      required: true,
    }),
    prefix: setting.string('Key prefix: the custom source location, e.g. `ext/falco`', '', {
      required: true,
    }),
    accountid: setting.string('Account id in each key (`accountId=…`)', '', { required: true }),
    interval: setting.int('Minutes between two files, at most (5 to 60)', 5, { min: 5, max: 60 }),
    batchsize: setting.int('Most events in one Parquet file', 1000, { min: 1, max: 100_000 }),
    endpoint: endpoint(),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/awssecuritylake.go',
  summary:
    "Writes the events as OCSF Security Findings (class 2001, falcosidekick's mapping) in Parquet files to a Security Lake custom source: `<prefix>/region=<region>/accountId=<accountid>/eventDay=<YYYYMMDD>/<uuid>.parquet`, one file per `batchsize` events or `interval` minutes.",
  example: example(
    'aws',
    'securitylake',
    '    bucket: aws-security-data-lake-eu-west-1-abcdef\n    region: eu-west-1\n    prefix: ext/falco\n    accountid: "123456789012"\n    interval: 5\n    batchsize: 1000',
  ),
  create: (v, ctx) =>
    new SecurityLakeOutput(
      args(v, ctx),
      v,
      { maxEvents: v.batchsize, flushIntervalMs: v.interval * 60_000 },
      ctx.now ?? Date.now,
    ),
});

/** `yandex.*` keys: Yandex Cloud's S3- and Kinesis-compatible APIs with static keys. */
const YANDEX_SHARED = {
  accesskeyid: setting.string('Access key id', '', { shared: true }),
  secretaccesskey: setting.string('Secret access key', '', { shared: true, secret: true }),
  region: setting.string('Region', 'ru-central1', { shared: true }),
};

const yandex = (v: { accesskeyid: string; secretaccesskey: string; region: string; endpoint: string }) => ({
  ...v,
  rolearn: '',
  externalid: '',
  checkidentity: false,
  stsendpoint: '',
});

export const yandexS3Output = defineOutput({
  type: 'yandexs3',
  title: 'Yandex S3',
  section: 'yandex',
  subsection: 's3',
  instanceName: 'yandexs3',
  enabledBy: ['bucket'],
  settings: {
    ...YANDEX_SHARED,
    endpoint: endpoint('https://storage.yandexcloud.net', false),
    bucket: setting.string('Bucket (enables the output)', '', { required: true }),
    prefix: setting.string('Key prefix', 'falco'),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/yandex.go',
  summary: 'Stores each event JSON in Yandex Object Storage, keyed like the AWS S3 output.',
  example: example('yandex', 's3', '    bucket: falco-alerts'),
  create: (v, ctx) => new S3Output(args(yandex(v), ctx), { ...v, objectcannedacl: '' }, ctx.now ?? Date.now),
});

export const yandexDataStreamsOutput = defineOutput({
  type: 'yandexdatastreams',
  title: 'Yandex Data Streams',
  section: 'yandex',
  subsection: 'datastreams',
  instanceName: 'yandexdatastreams',
  enabledBy: ['streamname'],
  settings: {
    ...YANDEX_SHARED,
    endpoint: endpoint('https://yds.serverless.yandexcloud.net', false),
    streamname: setting.string('Stream name (enables the output)', '', { required: true }),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/yandex.go',
  summary: 'Puts one record per event into a Yandex Data Stream (the Kinesis API).',
  example: example('yandex', 'datastreams', '    streamname: /ru-central1/b1g…/etn…/falco'),
  create: (v, ctx) => new KinesisOutput(args(yandex(v), ctx), v.streamname),
});

export const AWS_OUTPUTS = [
  awsLambdaOutput,
  awsSqsOutput,
  awsSnsOutput,
  awsCloudWatchLogsOutput,
  awsS3Output,
  awsKinesisOutput,
  awsSecurityLakeOutput,
  yandexS3Output,
  yandexDataStreamsOutput,
];
