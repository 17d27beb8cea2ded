import type { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { resultForError, setting, type CreateContext, type SendResult } from '@falconer/outputs-core';
import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';

/** `aws.*` keys every AWS output reads from the section itself (falcosidekick's names). */
export const AWS_SHARED = {
  accesskeyid: setting.string('Access key id (empty = the SDK default chain: env, IRSA, instance role)', '', {
    shared: true,
  }),
  secretaccesskey: setting.string('Secret access key', '', { shared: true, secret: true }),
  region: setting.string('Region (empty = the SDK default: AWS_REGION, instance metadata)', '', {
    shared: true,
  }),
  rolearn: setting.string('Role to assume with STS before calling the service', '', { shared: true }),
  externalid: setting.string('External id for the assumed role', '', { shared: true, secret: true }),
  checkidentity: setting.bool('Check the credentials with STS GetCallerIdentity at start', true, {
    shared: true,
  }),
  stsendpoint: setting.string('STS endpoint for the identity check and assumed roles (default: AWS)', '', {
    shared: true,
    extension: true,
  }),
};

export interface AwsValues {
  accesskeyid: string;
  secretaccesskey: string;
  region: string;
  rolearn: string;
  externalid: string;
  checkidentity: boolean;
  stsendpoint: string;
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * What every AWS SDK client of an output is built with: region, credentials (static keys, an assumed
 * role, or the default chain), the endpoint override, HTTP/1.1 keep-alive (Kinesis would pick HTTP/2),
 * and one attempt per call — the delivery layer owns retries.
 */
export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: Credentials | (() => Promise<Credentials>);
  requestHandler: NodeHttpHandler;
  maxAttempts: number;
  /** For S3-compatible stores on a plain host:port (s3rver, MinIO). */
  forcePathStyle?: boolean;
}

/** Builds the client settings from `aws.*` (or `yandex.*`); `endpoint` is the output's own override. */
export function awsClientConfig(v: AwsValues, ctx: CreateContext, endpoint: string): AwsClientConfig {
  const base: Credentials | undefined =
    v.accesskeyid !== '' && v.secretaccesskey !== ''
      ? { accessKeyId: v.accesskeyid, secretAccessKey: v.secretaccesskey }
      : undefined;
  if ((v.accesskeyid === '') !== (v.secretaccesskey === ''))
    ctx.error('accesskeyid', 'accesskeyid and secretaccesskey go together');
  const ep = endpoint;
  if (ep !== '' && !/^https?:\/\//.test(ep)) ctx.error('endpoint', 'expected an http(s):// URL');
  if (v.stsendpoint !== '' && !/^https?:\/\//.test(v.stsendpoint))
    ctx.error('stsendpoint', 'expected an http(s):// URL');
  const common = {
    ...(v.region !== '' ? { region: v.region } : {}),
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true }),
      httpsAgent: new Agent({ keepAlive: true }),
    }),
    maxAttempts: 1,
  };
  const config: AwsClientConfig = { ...common, ...(ep !== '' ? { endpoint: ep } : {}) };
  if (v.rolearn !== '') {
    const stsConfig = {
      ...common,
      ...(v.stsendpoint !== '' ? { endpoint: v.stsendpoint } : {}),
      ...(base ? { credentials: base } : {}),
    };
    let cached: Credentials | undefined;
    let sts: STSClient | undefined;
    config.credentials = async () => {
      // refreshed five minutes before the assumed role's session ends
      if (cached?.expiration && cached.expiration.getTime() - Date.now() > 300_000) return cached;
      const { AssumeRoleCommand, STSClient } = await import('@aws-sdk/client-sts');
      sts ??= new STSClient(stsConfig);
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: v.rolearn,
          RoleSessionName: 'falconer',
          ...(v.externalid !== '' ? { ExternalId: v.externalid } : {}),
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
      cached = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
      return cached;
    };
  } else if (base) config.credentials = base;
  return config;
}

/** falcosidekick's start-up check (`aws.checkidentity`): STS GetCallerIdentity with the output's credentials. */
export async function checkIdentity(
  v: AwsValues,
  config: AwsClientConfig,
  signal: AbortSignal,
  secrets: readonly string[],
): Promise<SendResult> {
  if (!v.checkidentity) return { ok: true };
  const { GetCallerIdentityCommand, STSClient } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({
    requestHandler: config.requestHandler,
    maxAttempts: 1,
    ...(config.region !== undefined ? { region: config.region } : {}),
    ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
    ...(v.stsendpoint !== '' ? { endpoint: v.stsendpoint } : {}),
  });
  try {
    await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    return { ok: true };
  } catch (err) {
    return resultForError(err, secrets);
  } finally {
    sts.destroy();
  }
}

/** Runs one SDK call; any exception becomes a classified SendResult. */
export async function attempt(call: () => Promise<unknown>, secrets: readonly string[]): Promise<SendResult> {
  try {
    await call();
    return { ok: true };
  } catch (err) {
    return resultForError(err, secrets);
  }
}
