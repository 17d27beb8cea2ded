import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client, type ObjectCannedACL } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
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

interface Destroyable {
  destroy(): void;
}

/** What every AWS output shares: the identity check at start, closing the client, secret-free errors. */
abstract class AwsOutput<C extends Destroyable> implements Output {
  constructor(
    readonly name: string,
    readonly type: string,
    protected readonly client: C,
    private readonly aws: AwsValues,
    private readonly clientConfig: AwsClientConfig,
    protected readonly secrets: readonly string[],
  ) {}

  init(signal: AbortSignal): Promise<SendResult> {
    return checkIdentity(this.aws, this.clientConfig, signal, this.secrets);
  }

  abstract send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult>;

  close(): Promise<void> {
    this.client.destroy();
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
    super(a.name, a.type, new LambdaClient(a.config), a.aws, a.config, a.secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      try {
        const out = await this.client.send(
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
    super(a.name, a.type, new SQSClient(a.config), a.aws, a.config, a.secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      attempt(
        () =>
          this.client.send(new SendMessageCommand({ QueueUrl: this.url, MessageBody: eventJson(event) }), {
            abortSignal: signal,
          }),
        this.secrets,
      ),
    );
  }
}

/** `aws.sns`: publishes the `output` line with attributes, or the raw event JSON. */
export class SnsOutput extends AwsOutput<SNSClient> {
  constructor(
    a: OutputArgs,
    private readonly topic: { topicarn: string; rawjson: boolean },
  ) {
    super(a.name, a.type, new SNSClient(a.config), a.aws, a.config, a.secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      attempt(
        () =>
          this.client.send(
            new PublishCommand({ TopicArn: this.topic.topicarn, ...snsMessage(event, this.topic.rawjson) }),
            { abortSignal: signal },
          ),
        this.secrets,
      ),
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
    super(a.name, a.type, new CloudWatchLogsClient(a.config), a.aws, a.config, a.secrets);
    this.streamReady = target.logstream !== DEFAULT_LOG_STREAM;
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    if (!this.streamReady) {
      const created = await this.createStream(signal);
      if (!created.ok) return created;
    }
    // PutLogEvents wants the events of one call in time order
    const logEvents = batch.map(cloudWatchLogEvent).sort((a, b) => a.timestamp - b.timestamp);
    return attempt(
      () =>
        this.client.send(
          new PutLogEventsCommand({
            logGroupName: this.target.loggroup,
            logStreamName: this.target.logstream,
            logEvents,
          }),
          { abortSignal: signal },
        ),
      this.secrets,
    );
  }

  private async createStream(signal: AbortSignal): Promise<SendResult> {
    try {
      await this.client.send(
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
    super(
      a.name,
      a.type,
      new S3Client({ ...a.config, forcePathStyle: a.config.endpoint !== undefined }),
      a.aws,
      a.config,
      a.secrets,
    );
    this.stamp = uploadClock(now);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      attempt(
        () =>
          this.client.send(
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
          ),
        this.secrets,
      ),
    );
  }
}

/** `aws.kinesis` (and Yandex Data Streams): one record per event with a random partition key. */
export class KinesisOutput extends AwsOutput<KinesisClient> {
  constructor(
    a: OutputArgs,
    private readonly stream: string,
  ) {
    super(a.name, a.type, new KinesisClient(a.config), a.aws, a.config, a.secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      attempt(
        () =>
          this.client.send(
            new PutRecordCommand({
              StreamName: this.stream,
              PartitionKey: randomUUID(),
              Data: Buffer.from(eventJson(event)),
            }),
            { abortSignal: signal },
          ),
        this.secrets,
      ),
    );
  }
}
