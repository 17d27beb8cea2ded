import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { buildOutputs, loadRouterConfig } from '@falconer/outputs-registry';
import { sampleEvent } from '@falconer/outputs-testing';
import type { Output } from '@falconer/outputs-core';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAws, startS3rver, type LocalS3 } from './aws.testing';
import { objectKey } from '@falconer/outputs-core';

/**
 * What falcosidekick's `json.Marshal(types.FalcoPayload)` writes for the sample event (outputs/aws.go
 * sends it as the SQS body, the Lambda payload, the S3 object, the Kinesis record and the log message):
 * falcosidekick's field order, the 19-digit number exact, Go's escaping.
 */
const FALCOSIDEKICK_JSON =
  '{"uuid":"a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b","output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)","priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609046Z","output_fields":{"evt.time":1507591916746609046,"fd.name":"/bin/hack","proc.cmdline":"touch /bin/hack","user.name":"root"},"source":"syscall","tags":["filesystem","mitre_persistence"],"hostname":"falco-node-1"}';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const signal = (): AbortSignal => new AbortController().signal;

function build(yaml: string, env: Record<string, string> = {}): Output[] {
  const { config } = loadRouterConfig({ yaml, env });
  const { instances, errors } = buildOutputs(config.outputs, {
    now: () => Date.UTC(2026, 10, 30, 1, 2, 3, 456),
  });
  expect(errors).toEqual([]);
  return instances.map((i) => i.output);
}

describe('AWS outputs against a local endpoint speaking each service protocol (falcosidekick outputs/aws.go)', () => {
  let aws: FakeAws;
  beforeAll(async () => {
    aws = await FakeAws.start();
  });
  afterAll(() => aws.close());

  const section = (sub: string): string => `
aws:
  region: eu-west-1
  accesskeyid: AKIAFALCONERTEST
  secretaccesskey: ${SECRET}
  stsendpoint: ${aws.url}
  ${sub}
`;

  it('SQS from a falcosidekick file: the identity check at start, then the event JSON as the message body', async () => {
    const [sqs] = build(section(`sqs: { url: "${aws.url}/123456789012/falco", endpoint: "${aws.url}" }`));
    expect(await sqs!.init?.(signal())).toEqual({ ok: true });
    expect(aws.calls.at(-1)).toMatchObject({ service: 'sts', action: 'GetCallerIdentity' });
    expect(await sqs!.send([sampleEvent()], signal())).toEqual({ ok: true });
    const call = aws.calls.at(-1)!;
    expect(call).toMatchObject({ service: 'sqs', action: 'SendMessage' });
    expect(call.input).toEqual({
      QueueUrl: `${aws.url}/123456789012/falco`,
      MessageBody: FALCOSIDEKICK_JSON,
    });
    expect(String(call.raw.headers['authorization'])).toContain('Credential=AKIAFALCONERTEST/');
    await sqs!.close?.();
  });

  it('SQS from environment variables only', async () => {
    const [sqs] = build('', {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESSKEYID: 'AKIAFALCONERENV',
      AWS_SECRETACCESSKEY: SECRET,
      AWS_CHECKIDENTITY: 'false',
      AWS_SQS_URL: `${aws.url}/123456789012/env`,
      AWS_SQS_ENDPOINT: aws.url,
      AWS_SQS_MINIMUMPRIORITY: 'warning',
    });
    expect(await sqs!.init?.(signal())).toEqual({ ok: true });
    expect(await sqs!.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(aws.calls.at(-1)?.input['QueueUrl']).toBe(`${aws.url}/123456789012/env`);
    const { config } = loadRouterConfig({
      env: { AWS_SQS_URL: 'https://q', AWS_SQS_MINIMUMPRIORITY: 'warning' },
    });
    expect(config.outputs[0]).toMatchObject({
      name: 'awssqs',
      type: 'awssqs',
      filter: { minimumpriority: 'warning' },
    });
    await sqs!.close?.();
  });

  it('SNS: the output line with falcosidekick message attributes, or the raw JSON', async () => {
    const [sns, raw] = build(`
aws:
  region: eu-west-1
  accesskeyid: AKIAFALCONERTEST
  secretaccesskey: ${SECRET}
  checkidentity: false
  sns: { topicarn: "arn:aws:sns:eu-west-1:123456789012:falco", endpoint: "${aws.url}" }
outputs:
  - { name: sns-raw, type: awssns, region: eu-west-1, accesskeyid: AKIAX, secretaccesskey: "${SECRET}", topicarn: "arn:aws:sns:eu-west-1:1:raw", rawjson: true, endpoint: "${aws.url}" }
`);
    expect(
      await sns!.send(
        [
          sampleEvent({
            output_fields: { ...sampleEvent().output_fields, 'proc.aname[2]': 'bash', nothing: null },
          }),
        ],
        signal(),
      ),
    ).toEqual({ ok: true });
    const form = aws.calls.at(-1)!.input as Record<string, string>;
    expect(form['Message']).toBe(sampleEvent().output);
    expect(form['TopicArn']).toBe('arn:aws:sns:eu-west-1:123456789012:falco');
    const attrs: Record<string, [string, string]> = {};
    for (let i = 1; form[`MessageAttributes.entry.${i}.Name`] !== undefined; i++)
      attrs[form[`MessageAttributes.entry.${i}.Name`]!] = [
        form[`MessageAttributes.entry.${i}.Value.DataType`]!,
        form[`MessageAttributes.entry.${i}.Value.StringValue`]!,
      ];
    expect(attrs).toEqual({
      priority: ['String', 'Error'],
      rule: ['String', 'Write below binary dir'],
      source: ['String', 'syscall'],
      tags: ['String', 'filesystem,mitre_persistence'],
      hostname: ['String', 'falco-node-1'],
      'evt.time': ['Number', '1507591916746609046'],
      'fd.name': ['String', '/bin/hack'],
      'proc.cmdline': ['String', 'touch /bin/hack'],
      'user.name': ['String', 'root'],
      'proc.aname.2': ['String', 'bash'],
    });
    expect(await raw!.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(aws.calls.at(-1)!.input['Message']).toBe(FALCOSIDEKICK_JSON);
  });

  it('Lambda: the event JSON as payload, with the invocation and log types', async () => {
    const [fn] = build(
      section(`lambda: { functionname: falco-responder, invocationtype: Event, endpoint: "${aws.url}" }`),
    );
    expect(await fn!.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(aws.calls.at(-1)).toMatchObject({
      service: 'lambda',
      input: {
        FunctionName: 'falco-responder',
        Payload: FALCOSIDEKICK_JSON,
        InvocationType: 'Event',
        LogType: 'Tail',
      },
    });
  });

  it("CloudWatch Logs: falcosidekick's stream created once, events in time order with the event's own time", async () => {
    const [logs] = build(section(`cloudwatchlogs: { loggroup: /falco/alerts, endpoint: "${aws.url}" }`));
    const later = sampleEvent({ uuid: 'later', time: '2019-05-17T15:31:57.000000001Z' });
    expect(await logs!.send([later, sampleEvent()], signal())).toEqual({ ok: true });
    expect(await logs!.send([sampleEvent()], signal())).toEqual({ ok: true });
    const calls = aws.calls.filter((c) => c.service === 'logs');
    expect(calls.map((c) => c.action)).toEqual(['CreateLogStream', 'PutLogEvents', 'PutLogEvents']);
    expect(calls[0]?.input).toEqual({
      logGroupName: '/falco/alerts',
      logStreamName: 'falcosidekick-logstream',
    });
    expect(calls[1]?.input['logEvents']).toEqual([
      { message: FALCOSIDEKICK_JSON, timestamp: 1558107116746 },
      { message: expect.stringContaining('"uuid":"later"') as string, timestamp: 1558107117000 },
    ]);
  });

  it('classifies AWS errors: 5xx and throttling retried, access denied not, an unreachable endpoint retried; secrets never shown', async () => {
    const [sqs] = build(section(`sqs: { url: "${aws.url}/1/q", endpoint: "${aws.url}" }`));
    aws.failNext(1, 500, 'InternalError');
    expect(await sqs!.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'server_error',
    });
    aws.failNext(1, 400, 'ThrottlingException');
    expect(await sqs!.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'rate_limited',
    });
    aws.failNext(1, 403, 'AccessDenied');
    const denied = await sqs!.send([sampleEvent()], signal());
    expect(denied).toMatchObject({ ok: false, retryable: false, reason: 'auth_error' });
    expect(JSON.stringify(denied)).not.toContain(SECRET);
    const [gone] = build(section('sqs: { url: "http://127.0.0.1:9/1/q", endpoint: "http://127.0.0.1:9" }'));
    expect(await gone!.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'network',
    });
  });

  it('reports bad settings at start, all at once, never echoing the secret', () => {
    const { config } = loadRouterConfig({
      yaml: 'aws:\n  accesskeyid: AKIA\n  sqs: { url: "not a url", endpoint: "ftp://x" }\n  s3: { bucket: b, endpoint: "nope" }\n',
    });
    const { errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([
      'aws.url: not a URL',
      'aws.accesskeyid: accesskeyid and secretaccesskey go together',
      'aws.endpoint: expected an http(s):// URL',
      'aws.accesskeyid: accesskeyid and secretaccesskey go together',
      'aws.endpoint: expected an http(s):// URL',
    ]);
  });
});

describe('S3 and Kinesis against real local servers (s3rver, kinesalite)', () => {
  let s3rver: LocalS3;
  let kinesalite: Server;
  let s3url = '';
  let kinesisUrl = '';
  const client = {
    region: 'eu-west-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestHandler: new NodeHttpHandler(),
  };

  beforeAll(async () => {
    s3rver = await startS3rver();
    s3url = s3rver.url;
    const kinesaliteFactory = (await import('kinesalite')).default as unknown as (o: object) => Server;
    kinesalite = kinesaliteFactory({ createStreamMs: 0 });
    await new Promise<void>((r) => kinesalite.listen(0, '127.0.0.1', () => r()));
    kinesisUrl = `http://127.0.0.1:${(kinesalite.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await s3rver.close();
    await new Promise((r) => kinesalite.close(r));
  });

  it('S3: the object at falcosidekick key layout holds the event JSON (aws.s3 and yandex.s3)', async () => {
    const s3 = new S3Client({ ...client, endpoint: s3url, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'falco-alerts' }));
    const [aws, yandex] = build(`
aws:
  region: eu-west-1
  accesskeyid: S3RVER
  secretaccesskey: S3RVER
  checkidentity: false
  s3: { bucket: falco-alerts, prefix: falco, endpoint: "${s3url}" }
yandex:
  accesskeyid: S3RVER
  secretaccesskey: S3RVER
  s3: { bucket: falco-alerts, prefix: yc, endpoint: "${s3url}" }
`);
    expect(await aws!.send([sampleEvent(), sampleEvent()], signal())).toEqual({ ok: true });
    expect(await yandex!.send([sampleEvent()], signal())).toEqual({ ok: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'falco-alerts' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
    // two events in the same millisecond still get two objects
    expect(keys).toEqual([
      'falco/2026-11-30/2026-11-30T01:02:03.456000001Z.json',
      'falco/2026-11-30/2026-11-30T01:02:03.456Z.json',
      'yc/2026-11-30/2026-11-30T01:02:03.456Z.json',
    ]);
    const obj = await s3.send(new GetObjectCommand({ Bucket: 'falco-alerts', Key: keys[0] }));
    expect(await obj.Body?.transformToString()).toBe(FALCOSIDEKICK_JSON);
    expect(objectKey('p', 1_558_107_116_746_609_046n)).toBe(
      'p/2019-05-17/2019-05-17T15:31:56.746609046Z.json',
    );
    s3.destroy();
  });

  it('Kinesis: GetRecords reads back the event JSON (aws.kinesis and yandex.datastreams)', async () => {
    const k = new KinesisClient({ ...client, endpoint: kinesisUrl });
    await k.send(new CreateStreamCommand({ StreamName: 'falco', ShardCount: 1 }));
    const [aws, yandex] = build(`
aws:
  region: eu-west-1
  accesskeyid: AKIAX
  secretaccesskey: ${SECRET}
  checkidentity: false
  kinesis: { streamname: falco, endpoint: "${kinesisUrl}" }
yandex:
  accesskeyid: AKIAY
  secretaccesskey: ${SECRET}
  datastreams: { streamname: falco, endpoint: "${kinesisUrl}" }
`);
    expect(await aws!.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(await yandex!.send([sampleEvent({ uuid: 'yandex' })], signal())).toEqual({ ok: true });
    const it0 = await k.send(
      new GetShardIteratorCommand({
        StreamName: 'falco',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const got = await k.send(new GetRecordsCommand({ ShardIterator: it0.ShardIterator! }));
    const records = (got.Records ?? []).map((r) => Buffer.from(r.Data!).toString());
    expect(records[0]).toBe(FALCOSIDEKICK_JSON);
    expect(records[1]).toContain('"uuid":"yandex"');
    k.destroy();
  });
});
