import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { buildOutputs, loadRouterConfig } from '@falconer/outputs-registry';
import { SAMPLE_EVENT_JSON, SAMPLE_OUTPUT, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import type { Priority } from '@falconer/contracts';
import type { Output } from '@falconer/outputs-core';
import { parquetReadObjects, parquetMetadata, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type LocalS3 } from './aws.testing';
import { goFloatV, ocsfFinding } from './securitylake.format';

const signal = (): AbortSignal => new AbortController().signal;
const NOW = Date.UTC(2026, 10, 30, 1, 2, 3, 456);

function build(yaml: string, env: Record<string, string> = {}): { output: Output; errors: string[] } {
  const { config } = loadRouterConfig({ yaml, env });
  const { instances, errors } = buildOutputs(config.outputs, { now: () => NOW });
  return { output: instances.find((i) => i.type === 'awssecuritylake')!.output, errors };
}

const lake = (endpoint: string, secret = 'S3RVER'): string => `
aws:
  region: us-east-1
  accesskeyid: S3RVER
  secretaccesskey: ${secret}
  checkidentity: false
  securitylake:
    bucket: security-lake
    region: eu-west-1
    prefix: ext/falco
    accountid: "123456789012"
    endpoint: "${endpoint}"
`;

/**
 * What falcosidekick's NewOCSFSecurityFinding (outputs/awssecuritylake.go) makes of sampleEvent(): the
 * numbers of output fields are float64 after its json.Unmarshal, printed with `%v`. Falconer sorts the
 * observables after the hostname (Go's map order is random) and keeps evt.time exact in raw_data.
 */
const SAMPLE_FINDING = {
  activity_id: 1,
  activity_name: 'Generate',
  category_name: 'Findings',
  category_uid: 2,
  classname: 'Security Finding',
  class_uid: 2001,
  finding: {
    created_time: 1558107116746n,
    desc: SAMPLE_OUTPUT,
    title: 'Write below binary dir',
    types: ['syscall'],
    uid: 'a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b',
  },
  message: 'Write below binary dir',
  metadata: {
    version: '0.1.0',
    product: { vendor_name: 'Falcosecurity', name: 'Falco' },
    labels: ['filesystem', 'mitre_persistence'],
  },
  observables: [
    { name: 'hostname', type: 'Other', type_id: 0, value: 'falco-node-1' },
    { name: 'evt.time', type: 'Other', type_id: 0, value: '1.5075919167466092e+18' },
    { name: 'fd.name', type: 'Other', type_id: 0, value: '/bin/hack' },
    { name: 'proc.cmdline', type: 'Other', type_id: 0, value: 'touch /bin/hack' },
    { name: 'user.name', type: 'Other', type_id: 0, value: 'root' },
  ],
  raw_data: SAMPLE_EVENT_JSON,
  severity: 'High',
  severity_id: 4,
  state: 'New',
  state_id: 1,
  status: 'Error',
  time: 1558107116746n,
  type_name: 'Security Finding: Generate',
  type_uid: 200101,
};

describe('AWS Security Lake OCSF mapping (falcosidekick outputs/awssecuritylake.go)', () => {
  it('maps the sample event as NewOCSFSecurityFinding does', () => {
    expect(ocsfFinding(sampleEvent())).toEqual(SAMPLE_FINDING);
  });

  it("maps priorities to getAWSSecurityLakeSeverity's ids and names", () => {
    const sev = (priority: Priority) => {
      const f = ocsfFinding(sampleEvent({ priority }));
      return [f.severity_id, f.severity, f.status];
    };
    expect(sev('Debug')).toEqual([1, 'Informational', 'Debug']);
    expect(sev('Notice')).toEqual([2, 'Low', 'Notice']);
    expect(sev('Warning')).toEqual([3, 'Medium', 'Warning']);
    expect(sev('Critical')).toEqual([5, 'Critical', 'Critical']);
    expect(sev('Emergency')).toEqual([6, 'Fatal', 'Emergency']);
  });

  it("prints numbers as Go's %v of a float64", () => {
    expect(
      [Number('1507591916746609046'), 34816, -1, 123456, 1e6, 1234567, 0.5, 0.0001, 0.00001, 0].map(goFloatV),
    ).toEqual([
      '1.5075919167466092e+18',
      '34816',
      '-1',
      '123456',
      '1e+06',
      '1.234567e+06',
      '0.5',
      '0.0001',
      '1e-05',
      '0',
    ]);
  });
});

describe('AWS Security Lake against s3rver: the Parquet object read back', () => {
  let s3rver: LocalS3;
  let url = '';
  let s3: S3Client;

  beforeAll(async () => {
    s3rver = await startS3rver();
    url = s3rver.url;
    s3 = new S3Client({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestHandler: new NodeHttpHandler(),
      endpoint: url,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'security-lake' }));
  });
  afterAll(async () => {
    s3.destroy();
    await s3rver.close();
  });

  it("puts one Parquet file per batch under Security Lake's partitioned key, with falcosidekick's OCSF records", async () => {
    const { output, errors } = build(lake(url));
    expect(errors).toEqual([]);
    expect(output.batch).toEqual({ maxEvents: 1000, flushIntervalMs: 300_000 });
    expect(await output.send([sampleEvent(), secondEvent()], signal())).toEqual({ ok: true });
    await output.close?.();

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'security-lake' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(
      /^ext\/falco\/region=eu-west-1\/accountId=123456789012\/eventDay=20261130\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.parquet$/,
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'security-lake', Key: keys[0] }));
    expect(head.ContentType).toBe('Apache Parquet');

    const obj = await s3.send(new GetObjectCommand({ Bucket: 'security-lake', Key: keys[0] }));
    const bytes = await obj.Body!.transformToByteArray();
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const metadata = parquetMetadata(file);
    expect(Number(metadata.num_rows)).toBe(2);
    // falcosidekick's columns in its struct's order (SAMPLE_FINDING lists them so)
    expect(parquetSchema(metadata).children.map((c) => c.element.name)).toEqual(Object.keys(SAMPLE_FINDING));
    const rows = await parquetReadObjects({ file });
    expect(rows[0]).toEqual(SAMPLE_FINDING);
    expect(rows[1]).toMatchObject({
      severity: 'Low',
      severity_id: 2,
      time: 1795169702482n,
      metadata: { labels: ['T1059', 'container', 'shell'] },
      finding: { title: 'Terminal shell in container', types: ['syscall'] },
    });
    expect(rows[1]!['observables']).toContainEqual({
      name: 'proc.tty',
      type: 'Other',
      type_id: 0,
      value: '34816',
    });
  });

  it('takes interval and batchsize from the environment, and needs region, prefix and account id', () => {
    const { output } = build(lake(url), {
      AWS_SECURITYLAKE_INTERVAL: '10',
      AWS_SECURITYLAKE_BATCHSIZE: '50',
    });
    expect(output.batch).toEqual({ maxEvents: 50, flushIntervalMs: 600_000 });
    const { config } = loadRouterConfig({ yaml: 'aws:\n  securitylake:\n    bucket: b\n', env: {} });
    const errors = buildOutputs(config.outputs).errors.join('\n');
    for (const key of ['region', 'prefix', 'accountid']) expect(errors).toContain(`${key}: required`);
  });
});

describe('AWS Security Lake: S3 errors', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start();
  });
  afterAll(() => rx.close());

  it.each([
    { status: 503, code: 'SlowDown', retryable: true },
    { status: 500, code: 'InternalError', retryable: true },
    { status: 403, code: 'AccessDenied', retryable: false },
  ])('answers $status $code: retryable $retryable, without the secret key', async (c) => {
    rx.respond(() => ({
      status: c.status,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${c.code}</Code><Message>no</Message><RequestId>1</RequestId></Error>`,
    }));
    const { output } = build(lake(rx.url, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
    const result = await output.send([sampleEvent()], signal());
    await output.close?.();
    expect(result).toMatchObject({ ok: false, retryable: c.retryable });
    expect(JSON.stringify(result)).not.toContain('wJalrXUtnFEMI');
  });
});
