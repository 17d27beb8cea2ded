import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Receiver, type ReceiverReply, type RecordedRequest } from '@falconer/testing';

/** One call the fake AWS endpoint understood. */
export interface AwsCall {
  service: 'sts' | 'sns' | 'sqs' | 'logs' | 'lambda';
  action: string;
  /** JSON body (JSON protocols), form fields (Query protocol) or the raw payload (Lambda). */
  input: Record<string, unknown>;
  raw: RecordedRequest;
}

const xml = (action: string, ns: string, result: string): ReceiverReply => ({
  status: 200,
  headers: { 'content-type': 'text/xml' },
  body: `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
});

const json = (version: '1.0' | '1.1', body: unknown): ReceiverReply => ({
  status: 200,
  headers: { 'content-type': `application/x-amz-json-${version}` },
  body: JSON.stringify(body),
});

/**
 * A local endpoint that answers the AWS APIs the outputs call, in each service's documented protocol,
 * closely enough that the real SDK accepts the answers (SQS's MD5 of the body included): STS and SNS
 * (Query, XML answers), SQS (JSON 1.0), CloudWatch Logs (JSON 1.1), Lambda (REST-JSON). `failNext`
 * makes the next calls fail with a given status and AWS error type.
 */
export class FakeAws {
  readonly calls: AwsCall[] = [];
  private failures: { status: number; type: string }[] = [];

  private constructor(readonly rx: Receiver) {}

  static async start(): Promise<FakeAws> {
    const rx = await Receiver.start();
    const fake = new FakeAws(rx);
    rx.respond((req) => fake.answer(req));
    return fake;
  }

  get url(): string {
    return this.rx.url;
  }

  failNext(n: number, status: number, type: string): void {
    for (let i = 0; i < n; i++) this.failures.push({ status, type });
  }

  close(): Promise<void> {
    return this.rx.close();
  }

  private answer(req: RecordedRequest): ReceiverReply {
    const target = String(req.headers['x-amz-target'] ?? '');
    const fail = this.failures.shift();
    if (fail !== undefined) {
      return target !== ''
        ? {
            status: fail.status,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: JSON.stringify({ __type: fail.type, message: 'injected' }),
          }
        : {
            status: fail.status,
            headers: { 'content-type': 'text/xml' },
            body: `<ErrorResponse><Error><Type>Sender</Type><Code>${fail.type}</Code><Message>injected</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
          };
    }
    const lambda = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url);
    if (lambda) {
      this.calls.push({
        service: 'lambda',
        action: 'Invoke',
        input: {
          FunctionName: decodeURIComponent(lambda[1] as string),
          Payload: req.text,
          InvocationType: req.headers['x-amz-invocation-type'],
          LogType: req.headers['x-amz-log-type'],
        },
        raw: req,
      });
      return {
        status: 200,
        headers: {
          'x-amz-executed-version': '$LATEST',
          'x-amz-log-result': Buffer.from('ok').toString('base64'),
        },
        body: '{"ok":true}',
      };
    }
    if (target.startsWith('AmazonSQS.')) {
      const input = JSON.parse(req.text) as { MessageBody: string };
      this.calls.push({ service: 'sqs', action: target.slice(10), input, raw: req });
      return json('1.0', {
        MessageId: randomUUID(),
        MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex'),
      });
    }
    if (target.startsWith('Logs_20140328.')) {
      this.calls.push({
        service: 'logs',
        action: target.slice(14),
        input: JSON.parse(req.text) as Record<string, unknown>,
        raw: req,
      });
      return json('1.1', target.endsWith('PutLogEvents') ? { nextSequenceToken: '1' } : {});
    }
    const form = Object.fromEntries(new URLSearchParams(req.text));
    const action = form['Action'] ?? '';
    if (action === 'GetCallerIdentity' || action === 'AssumeRole') {
      this.calls.push({ service: 'sts', action, input: form, raw: req });
      return action === 'GetCallerIdentity'
        ? xml(
            action,
            'https://sts.amazonaws.com/doc/2011-06-15/',
            '<Arn>arn:aws:iam::123456789012:user/falconer</Arn><UserId>AIDAFALCONER</UserId><Account>123456789012</Account>',
          )
        : xml(
            action,
            'https://sts.amazonaws.com/doc/2011-06-15/',
            `<Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>${new Date(Date.now() + 3_600_000).toISOString()}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/falconer</Arn><AssumedRoleId>AROA:falconer</AssumedRoleId></AssumedRoleUser>`,
          );
    }
    if (action === 'Publish') {
      this.calls.push({ service: 'sns', action, input: form, raw: req });
      return xml(
        action,
        'http://sns.amazonaws.com/doc/2010-03-31/',
        `<MessageId>${randomUUID()}</MessageId>`,
      );
    }
    return { status: 400, body: `unknown call ${req.method} ${req.url} ${target}` };
  }
}

export interface LocalS3 {
  url: string;
  close(): Promise<void>;
}

/** s3rver on 127.0.0.1 (an ephemeral port) storing in a fresh temporary directory, removed on close. */
export async function startS3rver(): Promise<LocalS3> {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-s3rver-'));
  type S3rverClass = new (o: object) => { run(): Promise<AddressInfo>; close(): Promise<void> };
  const { default: S3rver } = (await import('s3rver')) as { default: S3rverClass };
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const addr = await server.run();
  return {
    url: `http://127.0.0.1:${addr.port}`,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
