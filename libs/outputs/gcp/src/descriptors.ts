import { COMMON_SETTINGS, defineOutput, HTTP_SETTINGS, httpOptions, setting } from '@falconer/outputs-core';
import { GCP_SHARED, serviceAccount, tokenSource } from './gcp-auth';
import { CloudFunctionsOutput, CloudRunOutput, PubSubOutput, StorageOutput } from './outputs';

const example = (sub: string, body: string): string => `gcp:
  credentials: "<base64 of a service account key JSON>"   # or empty: Application Default Credentials
  ${sub}:
${body}`;

export const gcpPubSubOutput = defineOutput({
  type: 'gcppubsub',
  title: 'GCP Pub/Sub',
  section: 'gcp',
  subsection: 'pubsub',
  instanceName: 'gcppubsub',
  enabledBy: ['topic'],
  settings: {
    ...GCP_SHARED,
    projectid: setting.string('Project id', '', { required: true }),
    topic: setting.string('Topic (enables the output, with projectid)', '', { required: true }),
    customattributes: setting.map('Attributes added to every message, `k:v,k:v`'),
    endpoint: setting.string('host:port of a Pub/Sub emulator (plaintext, no credentials)', '', {
      extension: true,
    }),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/gcp.go',
  summary: 'Publishes the event JSON to a Pub/Sub topic, with the configured custom attributes.',
  example: example('pubsub', '    projectid: my-project\n    topic: falco'),
  create: (v, ctx) => {
    const credentials = serviceAccount(v.credentials, ctx);
    const { projectid, topic, customattributes, endpoint } = v;
    return new PubSubOutput(
      ctx.name,
      ctx.type,
      { projectid, topic, customattributes, endpoint, ...(credentials ? { credentials } : {}) },
      ctx.secrets,
    );
  },
});

export const gcpStorageOutput = defineOutput({
  type: 'gcpstorage',
  title: 'GCP Storage',
  section: 'gcp',
  subsection: 'storage',
  instanceName: 'gcpstorage',
  enabledBy: ['bucket'],
  settings: {
    ...GCP_SHARED,
    bucket: setting.string('Bucket (enables the output)', '', { required: true }),
    prefix: setting.string('Object name prefix'),
    endpoint: setting.url('Storage API base URL', { extension: true }),
    ...HTTP_SETTINGS,
  },
  falcosidekick: 'outputs/gcp.go',
  summary: 'Stores each event JSON as an object `<prefix>/<YYYY-MM-DD>/<RFC 3339 upload time>.json`.',
  example: example('storage', '    bucket: falco-alerts'),
  create: (v, ctx) => {
    const account = serviceAccount(v.credentials, ctx);
    const endpoint = (v.endpoint || 'https://storage.googleapis.com').replace(/\/+$/, '');
    return new StorageOutput(
      ctx.name,
      ctx.type,
      httpOptions(v, ctx),
      tokenSource(account, v.endpoint !== ''),
      ctx.secrets,
      { bucket: v.bucket, prefix: v.prefix, endpoint },
      ctx.now ?? Date.now,
    );
  },
});

export const gcpCloudFunctionsOutput = defineOutput({
  type: 'gcpcloudfunctions',
  title: 'GCP Cloud Functions',
  section: 'gcp',
  subsection: 'cloudfunctions',
  instanceName: 'gcpcloudfunctions',
  enabledBy: ['name'],
  settings: {
    ...GCP_SHARED,
    name: setting.string('Function, `projects/<p>/locations/<l>/functions/<f>` (enables the output)', '', {
      required: true,
    }),
    endpoint: setting.url('Cloud Functions API base URL', { extension: true }),
    ...HTTP_SETTINGS,
  },
  falcosidekick: 'outputs/gcp.go',
  summary: 'Calls a Cloud Function (v1 `call` method) with the event JSON as its data.',
  example: example('cloudfunctions', '    name: projects/my-project/locations/europe-west1/functions/falco'),
  create: (v, ctx) => {
    const account = serviceAccount(v.credentials, ctx);
    if (!/^projects\/[^/]+\/locations\/[^/]+\/functions\/[^/]+$/.test(v.name))
      ctx.error('name', 'expected projects/<project>/locations/<location>/functions/<function>');
    const endpoint = (v.endpoint || 'https://cloudfunctions.googleapis.com').replace(/\/+$/, '');
    return new CloudFunctionsOutput(
      ctx.name,
      ctx.type,
      httpOptions(v, ctx),
      tokenSource(account, v.endpoint !== ''),
      ctx.secrets,
      { name: v.name, endpoint },
    );
  },
});

export const gcpCloudRunOutput = defineOutput({
  type: 'gcpcloudrun',
  title: 'GCP Cloud Run',
  section: 'gcp',
  subsection: 'cloudrun',
  instanceName: 'gcpcloudrun',
  enabledBy: ['endpoint'],
  settings: {
    endpoint: setting.url('Service URL (enables the output)', { required: true }),
    jwt: setting.string('Bearer token sent as `Authorization`', '', { secret: true }),
    ...HTTP_SETTINGS,
  },
  falcosidekick: 'outputs/gcpcloudrun.go',
  summary: 'POSTs the event JSON to a Cloud Run service, with an optional bearer JWT.',
  example: example('cloudrun', '    endpoint: https://falco-handler-xyz.a.run.app'),
  create: (v, ctx) =>
    new CloudRunOutput(ctx.name, ctx.type, httpOptions(v, ctx), ctx.secrets, {
      endpoint: v.endpoint,
      jwt: v.jwt,
    }),
});

export const GCP_OUTPUTS = [gcpPubSubOutput, gcpStorageOutput, gcpCloudFunctionsOutput, gcpCloudRunOutput];
