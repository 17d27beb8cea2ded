import { createOutput, type OutputDescriptor } from '@falconer/outputs-core';
import {
  Receiver,
  serviceProxyResponder,
  writeKubeconfig,
  type ProxiedRequest,
  type ReceiverReply,
} from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_EVENT_JSON, sampleEvent } from './sample-events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const signal = (): AbortSignal => new AbortController().signal;

/**
 * falcosidekick's kubeconfig mode of a FaaS output (OpenFaaS, Fission, Kubeless): the event goes through
 * the API server's service proxy (a local stand-in that checks the kubeconfig's bearer token) to the
 * service and path falcosidekick's client-go `AbsPath` names, with `json.Marshal`'s body (no newline),
 * a fresh `event-id` and the output's headers; 5xx and 429 retried, 4xx dead-lettered, the token never
 * in a result.
 */
export function serviceProxyContract(o: {
  descriptor: OutputDescriptor;
  /** The output's settings besides `kubeconfig`. */
  settings: Record<string, unknown>;
  /** Where the API server must route the call. */
  expected: { namespace: string; service: string; port: string; path: string };
  /** Headers the function must receive besides `event-id` and `Content-Type`. */
  headers?: Record<string, string>;
}): void {
  const type = o.descriptor.type;
  describe(`${type}: kubeconfig mode through the API server's service proxy (a local stand-in)`, () => {
    const token = `sa-token-${type}-7f3a9c`;
    let api: Receiver;
    let service: (req: ProxiedRequest) => ReceiverReply = () => ({ status: 200, body: 'ok' });
    const proxied: ProxiedRequest[] = [];
    const make = (kubeconfig: string) => {
      const { output, errors } = createOutput(o.descriptor, {
        name: type,
        type,
        path: type,
        settings: { ...o.settings, kubeconfig },
      });
      expect(errors).toEqual([]);
      return output;
    };

    beforeAll(async () => {
      // the output loads the Kubernetes client on its first send: load it here, outside any test's time limit
      await import('@kubernetes/client-node');
      api = await Receiver.start(
        serviceProxyResponder(token, (req) => {
          proxied.push(req);
          return service(req);
        }),
      );
    }, 60_000);
    afterAll(() => api.close());

    it('POSTs json.Marshal of the event to the service proxy path, signed with the kubeconfig token', async () => {
      service = () => ({ status: 200, body: 'function says hi' });
      const output = make(writeKubeconfig(api.url, token));
      expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
      await output.close?.();
      const call = proxied.at(-1)!;
      expect({
        namespace: call.namespace,
        service: call.service,
        port: call.port,
        path: call.path,
      }).toEqual(o.expected);
      expect(call.request.method).toBe('POST');
      expect(call.request.text).toBe(SAMPLE_EVENT_JSON);
      expect(call.request.headers['authorization']).toBe(`Bearer ${token}`);
      expect(call.request.headers['content-type']).toBe('application/json');
      expect(call.request.headers['event-id']).toMatch(UUID);
      for (const [k, v] of Object.entries(o.headers ?? {})) expect(call.request.headers[k]).toBe(v);
    });

    it.each([
      { status: 500, retryable: true, reason: 'server_error' },
      { status: 503, retryable: true, reason: 'server_error' },
      { status: 429, retryable: true, reason: 'rate_limited' },
      { status: 404, retryable: false, reason: 'client_error' },
      { status: 400, retryable: false, reason: 'client_error' },
    ])('classifies the function answering $status as $reason (retryable $retryable)', async (c) => {
      service = (req) => ({ status: c.status, body: `no: ${JSON.stringify(req.request.headers)}` });
      const output = make(writeKubeconfig(api.url, token));
      const result = await output.send([sampleEvent()], signal());
      await output.close?.();
      expect(result).toMatchObject({ ok: false, retryable: c.retryable, reason: c.reason });
      expect(JSON.stringify(result)).not.toContain(token);
    });

    it("dead-letters the API server's 401 for a wrong token, without the token in the reason", async () => {
      const before = proxied.length;
      const output = make(writeKubeconfig(api.url, 'some-revoked-token'));
      const result = await output.send([sampleEvent()], signal());
      await output.close?.();
      expect(result).toMatchObject({ ok: false, retryable: false, reason: 'auth_error' });
      expect(JSON.stringify(result)).toContain('Unauthorized');
      expect(JSON.stringify(result)).not.toContain('some-revoked-token');
      expect(proxied.length).toBe(before);
    });

    it('refuses an unreadable kubeconfig at start', () => {
      const { errors } = createOutput(o.descriptor, {
        name: type,
        type,
        path: type,
        settings: { ...o.settings, kubeconfig: '/nonexistent/kubeconfig' },
      });
      expect(errors).toEqual([`${type}.kubeconfig: cannot read /nonexistent/kubeconfig (ENOENT)`]);
    });
  });
}
