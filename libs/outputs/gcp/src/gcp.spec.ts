import { PubSub } from '@google-cloud/pubsub';
import { buildOutputs, loadRouterConfig } from '@falconer/outputs-registry';
import { outputContract, sampleEvent } from '@falconer/outputs-testing';
import { createOutput, type Output } from '@falconer/outputs-core';
import { canConnect, Receiver, serviceAvailable } from '@falconer/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcpCloudRunOutput } from './descriptors';

/** falcosidekick's `json.Marshal(types.FalcoPayload)` of the sample event (outputs/gcp.go, gcpcloudrun.go). */
const FALCOSIDEKICK_JSON =
  '{"uuid":"a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b","output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)","priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609046Z","output_fields":{"evt.time":1507591916746609046,"fd.name":"/bin/hack","proc.cmdline":"touch /bin/hack","user.name":"root"},"source":"syscall","tags":["filesystem","mitre_persistence"],"hostname":"falco-node-1"}';

const signal = (): AbortSignal => new AbortController().signal;

function build(opts: { yaml?: string; env?: Record<string, string> }): Output[] {
  const { config } = loadRouterConfig(opts);
  const { instances, errors } = buildOutputs(config.outputs, {
    now: () => Date.UTC(2026, 10, 30, 1, 2, 3, 456),
  });
  expect(errors).toEqual([]);
  return instances.map((i) => i.output);
}

describe('GCP outputs over HTTP (falcosidekick outputs/gcp.go, gcpcloudrun.go)', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200, body: '{"executionId":"1"}' }));
  });
  afterAll(() => rx.close());

  it('Storage from a falcosidekick file: the event JSON as a media upload at falcosidekick key layout', async () => {
    const [gcs] = build({
      yaml: `gcp:\n  storage: { bucket: falco-alerts, prefix: falco, endpoint: "${rx.url}" }\n`,
    });
    expect(await gcs!.send([sampleEvent()], signal())).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe(
      '/upload/storage/v1/b/falco-alerts/o?uploadType=media&name=' +
        encodeURIComponent('falco/2026-11-30/2026-11-30T01:02:03.456Z.json'),
    );
    expect(req.text).toBe(FALCOSIDEKICK_JSON);
  });

  it('Cloud Functions from environment variables only: the v1 call method with the event JSON as data', async () => {
    const [fn] = build({
      env: {
        GCP_CLOUDFUNCTIONS_NAME: 'projects/p/locations/europe-west1/functions/falco',
        GCP_CLOUDFUNCTIONS_ENDPOINT: rx.url,
      },
    });
    expect(await fn!.send([sampleEvent()], signal())).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.url).toBe('/v1/projects/p/locations/europe-west1/functions/falco:call');
    expect(JSON.parse(req.text)).toEqual({ data: FALCOSIDEKICK_JSON });
  });

  it('Cloud Run: the event JSON with the configured JWT as bearer', async () => {
    const [run] = build({
      env: { GCP_CLOUDRUN_ENDPOINT: `${rx.url}/run`, GCP_CLOUDRUN_JWT: 'eyJhbGciOiJub25lIn0.e30.sig' },
    });
    expect(await run!.send([sampleEvent()], signal())).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.url).toBe('/run');
    expect(req.headers['authorization']).toBe('Bearer eyJhbGciOiJub25lIn0.e30.sig');
    expect(req.text).toBe(FALCOSIDEKICK_JSON);
  });

  it('reports bad GCP settings at start', () => {
    const { config } = loadRouterConfig({
      yaml: 'gcp:\n  credentials: "%%%"\n  cloudfunctions: { name: falco }\n',
    });
    expect(buildOutputs(config.outputs).errors).toEqual([
      'gcp.credentials: expected the base64 of a service account key JSON',
      'gcp.name: expected projects/<project>/locations/<location>/functions/<function>',
    ]);
  });
});

outputContract({
  name: 'gcpcloudrun',
  make: (url) =>
    createOutput(gcpCloudRunOutput, {
      name: 'gcpcloudrun',
      type: 'gcpcloudrun',
      path: 'gcp',
      settings: { endpoint: `${url}/run`, jwt: 'secret-jwt-token-value' },
    }).output,
  secrets: ['secret-jwt-token-value'],
  checkRequest: (req) => expect(req.text).toBe(FALCOSIDEKICK_JSON),
});

const EMULATOR = '/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const hasEmulator = await serviceAvailable('the Pub/Sub emulator (google-cloud-sdk, Java)', () =>
  existsSync(EMULATOR),
);

describe.skipIf(!hasEmulator)("Pub/Sub against Google's emulator", () => {
  let proc: ChildProcess;
  let endpoint = '';
  beforeAll(async () => {
    const port = await freePort();
    endpoint = `127.0.0.1:${port}`;
    proc = spawn(EMULATOR, [`--host=127.0.0.1`, `--port=${port}`], { stdio: 'ignore' });
    for (let i = 0; i < 600 && !(await canConnect(port)); i++) await new Promise((r) => setTimeout(r, 100));
  }, 90_000);
  afterAll(() => {
    proc.kill('SIGKILL');
  });

  it('a subscription pulls the event JSON with the custom attributes', async () => {
    const admin = new PubSub({
      projectId: 'falconer-test',
      apiEndpoint: endpoint,
      emulatorMode: true,
      universeDomain: 'googleapis.com',
    });
    const [topic] = await admin.createTopic('falco');
    const [sub] = await topic.createSubscription('falco-sub');
    const [out] = build({
      yaml: `gcp:\n  pubsub:\n    projectid: falconer-test\n    topic: falco\n    customattributes: { team: soc, env: prod }\n    endpoint: "${endpoint}"\n`,
    });
    expect(await out!.send([sampleEvent()], signal())).toEqual({ ok: true });
    const message = await new Promise<{ data: Buffer; attributes: Record<string, string> }>((resolve) => {
      sub.on('message', (m: { data: Buffer; attributes: Record<string, string>; ack(): void }) => {
        m.ack();
        resolve(m);
      });
    });
    expect(message.data.toString()).toBe(FALCOSIDEKICK_JSON);
    expect(message.attributes).toEqual({ team: 'soc', env: 'prod' });
    await sub.close();
    await out!.close?.();
    await admin.close();
  }, 60_000);
});
