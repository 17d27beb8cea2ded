import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import {
  makeTestPki,
  Receiver,
  serviceProxyResponder,
  writeKubeconfig,
  type ProxiedRequest,
  type TestPki,
} from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceProxyPath, ServiceProxyOutput } from './service-proxy';

const TOKEN = 'tls-sa-token-31c4';
const signal = (): AbortSignal => new AbortController().signal;
const EVENT: FalcoEvent = {
  uuid: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
  output: '12:00:00.000000000: Warning test',
  priority: 'Warning',
  rule: 'Test rule',
  time: '2026-11-30T12:00:00Z',
  output_fields: { 'proc.name': 'sh' },
  source: 'syscall',
  tags: ['test'],
  hostname: 'node-1',
};

describe('service proxy path (client-go AbsPath of falcosidekick outputs/openfaas.go, fission.go, kubeless.go)', () => {
  it('joins namespace, service:port and the path, cleaning double slashes and keeping a trailing one', () => {
    expect(
      serviceProxyPath({ namespace: 'of', service: 'gateway', port: 8080, path: '/function/f.fn' }),
    ).toBe('/api/v1/namespaces/of/services/gateway:8080/proxy/function/f.fn');
    expect(
      serviceProxyPath({ namespace: 'fission', service: 'router', port: 80, path: '//fission-function/f' }),
    ).toBe('/api/v1/namespaces/fission/services/router:80/proxy/fission-function/f');
    expect(serviceProxyPath({ namespace: 'k', service: 'f', port: 8080, path: '/' })).toBe(
      '/api/v1/namespaces/k/services/f:8080/proxy/',
    );
  });
});

describe("kubeconfig mode over TLS: the kubeconfig's CA and client certificate are used", () => {
  let pki: TestPki;
  let api: Receiver;
  const seen: { req: ProxiedRequest }[] = [];

  beforeAll(async () => {
    await import('@kubernetes/client-node'); // loaded by the first send: outside any test's time limit
    pki = makeTestPki();
    // an API server that verifies client certificates against its CA, as kube-apiserver does
    api = await Receiver.start(
      serviceProxyResponder(TOKEN, (req) => {
        seen.push({ req });
        return { status: 200, body: 'ok' };
      }),
      0,
      {
        key: pki.read('serverKey'),
        cert: pki.read('serverCert'),
        ca: pki.read('ca'),
        requestCert: true,
        rejectUnauthorized: true,
      },
    );
  }, 60_000);
  afterAll(async () => {
    await api.close();
    pki.remove();
  });

  const output = (kubeconfig: string): ServiceProxyOutput =>
    new ServiceProxyOutput('openfaas', 'openfaas', {
      kubeconfig,
      target: { namespace: 'openfaas', service: 'gateway', port: 8080, path: '/function/f.openfaas-fn' },
      headers: () => ({}),
      http: { secrets: [] },
    });

  it('reaches the function through an API server that requires the client certificate', async () => {
    const o = output(
      writeKubeconfig(api.url, TOKEN, {
        ca: pki.files.ca,
        clientCert: pki.files.clientCert,
        clientKey: pki.files.clientKey,
      }),
    );
    expect(await o.send([EVENT], signal())).toEqual({ ok: true });
    await o.close();
    const last = seen.at(-1)!.req;
    expect(last.path).toBe('/function/f.openfaas-fn');
    // json.Marshal of the event, no trailing newline (the FaaS specs compare it with falcosidekick's bytes)
    expect(last.request.text).toBe(serializeEvent(EVENT));
    expect(last.request.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  it('fails, retryable, without the client certificate or without the CA (the TLS handshake is refused)', async () => {
    const before = seen.length;
    for (const tls of [{ ca: pki.files.ca }, undefined]) {
      const kubeconfig =
        tls === undefined
          ? // the CA missing and verification on: an unknown issuer
            writeKubeconfig(api.url, TOKEN, { ca: '/dev/null' })
          : writeKubeconfig(api.url, TOKEN, tls);
      const o = output(kubeconfig);
      const result = await o.send([EVENT], signal());
      await o.close();
      expect(result).toMatchObject({ ok: false, retryable: true, reason: 'network' });
      expect(JSON.stringify(result)).not.toContain(TOKEN);
    }
    expect(seen.length).toBe(before);
  });
});
