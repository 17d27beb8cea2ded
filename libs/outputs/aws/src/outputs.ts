import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ObjectCannedACL, S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FalcoEvent } from '@falconer/contracts';
import {
  objectKey,
  resultForError,
  sendEach,
  uploadClock,
  type BatchPolicy,
  type Output,
  type SendResult,
} from '@falconer/outputs-core';
import { randomUUID } from 'node:crypto';
import { attempt, checkIdentity, type AwsClientConfig, type AwsValues } from './aws-client';
import { cloudWatchLogEvent, eventJson, snsMessage } from './aws.format';
import { securityLakeKey, securityLakeParquet } from './securitylake.format';

// Each SDK is loaded when its output first sends: a router without AWS outputs never pays for them.
const sdk = {
  logs: () => import('@aws-sdk/client-cloudwatch-logs'),
  kinesis: () => import('@aws-sdk/client-kinesis'),
  lambda: () => import('@aws-sdk/client-lambda'),
  s3: () => import('@aws-sdk/client-s3'),
  sns: () => import('@aws-sdk/client-sns'),
  sqs: () => import('@aws-sdk/client-sqs'),
};

/** The S3 client of S3, Yandex S3 and Security Lake: path-style addressing on an endpoint override (s3rver, MinIO). */
const s3Client = async (c: AwsClientConfig): Promise<S3Client> =>
  new (await sdk.s3()).S3Client({ ...c, forcePathStyle: c.endpoint !== undefined });

interface Destroyable {
  destroy(): void;
}

/**
 * What every AWS output shares: the identity check at start, one SDK client for the output's lifetime
 * (made on first use), closing it, secret-free errors.
 */
abstract class AwsOutput<C extends Destroyable> implements Output {
  private made?: Promise<C>;
  private client_?: C;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly makeClient: (config: AwsClientConfig) => Promise<C>,
    private readonly aws: AwsValues,
    protected readonly clientConfig: AwsClientConfig,
    protected readonly secrets: readonly string[],
  ) {}

  protected client(): Promise<C> {
    this.made ??= this.makeClient(this.clientConfig).then((c) => (this.client_ = c));
    return this.made;
  }

  init(signal: AbortSignal): Promise<SendResult> {
    return checkIdentity(this.aws, this.clientConfig, signal, this.secrets);
  }

  abstract send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult>;

  close(): Promise<void> {
    this.client_?.destroy();
    return Promise.resolve();
  }
}

export interface OutputArgs {
  name: string;
  type: string;
  aws: AwsValues;
  config: AwsClientConfig;
  secrets: readonly string[];
}

/** `aws.lambda`: invokes the function with the event JSON as payload. */
export class LambdaOutput extends AwsOutput<LambdaClient> {
  constructor(
    a: OutputArgs,
    private readonly fn: { functionname: string; invocationtype: string; logtype: string },
  ) {
    super(a.name, a.type, async (c) => new (await sdk.lambda()).LambdaClient(c), a.aws, a.config, a.secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      try {
        const { InvokeCommand } = await sdk.lambda();
        const out = await (
          await this.client()
        ).send(
          new InvokeCommand({
            FunctionName: this.fn.functionname,
            InvocationType: this.fn.invocationtype as 'RequestResponse' | 'Event' | 'DryRun',
            LogType: this.fn.logtype as 'None' | 'Tail',
            Payload: Buffer.from(eventJson(event)),
          }),
          { abortSignal: signal },
        );
        // the function ran but failed on this event: sending it again would fail the same way
        if (out.FunctionError !== undefined)
          return {
            ok: false,
            retryable: false,
            reason: 'client_error',
            detail: `function error: ${out.FunctionError}`,
          };
        return { ok: true };
      } catch (err) {
        return resultForError(err, this.secrets);
      }
    });
  }
}

/** `aws.sqs`: one message per event, the event JSON as body. */
export class SqsOutput extends AwsOutput<SQSClient> {
  constructor(
    a: OutputArgs,
    private readonly url: string,
  ) {
    super(a.name, a.type, async (c) => new (await sdk.sqs()).SQSClient(c), a.aws, a.config, a.secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      attempt(async () => {
        const { SendMessageCommand } = await sdk.sqs();
        return (await this.client()).send(
          new SendMessageCommand({ QueueUrl: this.url, MessageBody: eventJson(event) }),
          { abortSignal: signal },
        );
      }, this.secrets),
    );
  }
}

/** `aws.sns`: publishes the `output` line with attributes, or the raw event JSON. */
export class SnsOutput extends AwsOutput<SNSClient> {
  constructor(
    a: OutputArgs,
    private readonly topic: { topicarn: string; rawjson: boolean },
  ) {
    super(a.name, a.type, async (c) => new (await sdk.sns()).SNSClient(c), a.aws, a.config, a.secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      attempt(async () => {
        const { PublishCommand } = await sdk.sns();
        return (await this.client()).send(
          new PublishCommand({ TopicArn: this.topic.topicarn, ...snsMessage(event, this.topic.rawjson) }),
          { abortSignal: signal },
        );
      }, this.secrets),
    );
  }
}

/** `aws.cloudwatchlogs`: PutLogEvents into the log group; the stream is created once when not configured. */
export class CloudWatchLogsOutput extends AwsOutput<CloudWatchLogsClient> {
  readonly batch: BatchPolicy = { maxEvents: 500, maxBytes: 900_000, flushIntervalMs: 1000 };
  private streamReady: boolean;

  constructor(
    a: OutputArgs,
    private readonly target: { loggroup: string; logstream: string },
  ) {
    super(
      a.name,
      a.type,
      async (c) => new (await sdk.logs()).CloudWatchLogsClient(c),
      a.aws,
      a.config,
      a.secrets,
    );
    this.streamReady = target.logstream !== DEFAULT_LOG_STREAM;
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    if (!this.streamReady) {
      const created = await this.createStream(signal);
      if (!created.ok) return created;
    }
    // PutLogEvents wants the events of one call in time order
    const logEvents = batch.map(cloudWatchLogEvent).sort((a, b) => a.timestamp - b.timestamp);
    return attempt(async () => {
      const { PutLogEventsCommand } = await sdk.logs();
      return (await this.client()).send(
        new PutLogEventsCommand({
          logGroupName: this.target.loggroup,
          logStreamName: this.target.logstream,
          logEvents,
        }),
        { abortSignal: signal },
      );
    }, this.secrets);
  }

  private async createStream(signal: AbortSignal): Promise<SendResult> {
    try {
      const { CreateLogStreamCommand } = await sdk.logs();
      await (
        await this.client()
      ).send(
        new CreateLogStreamCommand({
          logGroupName: this.target.loggroup,
          logStreamName: this.target.logstream,
        }),
        { abortSignal: signal },
      );
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceAlreadyExistsException')
        return resultForError(err, this.secrets);
    }
    this.streamReady = true;
    return { ok: true };
  }
}

/** falcosidekick's stream name when `aws.cloudwatchlogs.logstream` is empty (created on first use). */
export const DEFAULT_LOG_STREAM = 'falcosidekick-logstream';

/** `aws.s3` (and Yandex Object Storage): one object per event, keyed by upload time. */
export class S3Output extends AwsOutput<S3Client> {
  private readonly stamp: () => bigint;

  constructor(
    a: OutputArgs,
    private readonly target: { bucket: string; prefix: string; objectcannedacl: string },
    now: () => number,
  ) {
    super(a.name, a.type, s3Client, a.aws, a.config, a.secrets);
    this.stamp = uploadClock(now);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      attempt(async () => {
        const { PutObjectCommand } = await sdk.s3();
        return (await this.client()).send(
          new PutObjectCommand({
            Bucket: this.target.bucket,
            Key: objectKey(this.target.prefix, this.stamp()),
            Body: eventJson(event),
            ...(this.target.objectcannedacl !== ''
              ? { ACL: this.target.objectcannedacl as ObjectCannedACL }
              : {}),
            // Object Lock buckets refuse a PutObject without an integrity value
            ChecksumAlgorithm: 'CRC32',
          }),
          { abortSignal: signal },
        );
      }, this.secrets),
    );
  }
}

/** `aws.kinesis` (and Yandex Data Streams): one record per event with a random partition key. */
export class KinesisOutput extends AwsOutput<KinesisClient> {
  constructor(
    a: OutputArgs,
    private readonly stream: string,
  ) {
    super(
      a.name,
      a.type,
      async (c) => new (await sdk.kinesis()).KinesisClient(c),
      a.aws,
      a.config,
      a.secrets,
    );
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      attempt(async () => {
        const { PutRecordCommand } = await sdk.kinesis();
        return (await this.client()).send(
          new PutRecordCommand({
            StreamName: this.stream,
            PartitionKey: randomUUID(),
            Data: Buffer.from(eventJson(event)),
          }),
          { abortSignal: signal },
        );
      }, this.secrets),
    );
  }
}

/**
 * `aws.securitylake`: the events of a batch as OCSF Security Findings in one Parquet file, put under
 * Security Lake's partitioned key. The delivery layer gathers the batch (`batchsize` events, or what came
 * within `interval` of the first), as falcosidekick's worker does every `interval` minutes.
 */
export class SecurityLakeOutput extends AwsOutput<S3Client> {
  readonly batch: BatchPolicy;

  constructor(
    a: OutputArgs,
    private readonly target: { bucket: string; prefix: string; region: string; accountid: string },
    batch: { maxEvents: number; flushIntervalMs: number },
    private readonly now: () => number,
  ) {
    super(a.name, a.type, s3Client, a.aws, a.config, a.secrets);
    this.batch = batch;
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    const body = await securityLakeParquet(batch);
    return attempt(async () => {
      const { PutObjectCommand } = await sdk.s3();
      return (await this.client()).send(
        new PutObjectCommand({
          Bucket: this.target.bucket,
          Key: securityLakeKey(this.target, this.now(), randomUUID()),
          Body: body,
          ContentType: 'Apache Parquet',
          ACL: 'bucket-owner-full-control',
        }),
        { abortSignal: signal },
      );
    }, this.secrets);
  }
}
