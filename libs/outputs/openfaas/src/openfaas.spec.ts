import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_EVENT_JSON } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { openFaasOutput, openFaasUrl } from './openfaas.descriptor';

const spec = (settings: Record<string, unknown>) => ({
  name: 'openfaas',
  type: 'openfaas',
  path: 'openfaas',
  settings,
});

describe('openfaas (outputs/openfaas.go)', () => {
  it("calls falcosidekick's in-cluster gateway URL by default", () => {
    const { errors } = createOutput(openFaasOutput, spec({ functionname: 'responder' }));
    expect(errors).toEqual([]);
    expect(
      openFaasUrl({
        gatewayservice: 'gateway',
        gatewaynamespace: 'openfaas',
        gatewayport: 8080,
        functionname: 'responder',
        functionnamespace: 'openfaas-fn',
      }),
    ).toBe('http://gateway.openfaas:8080/function/responder.openfaas-fn');
  });

  it('says at start that the kubeconfig (API server proxy) mode is not supported', () => {
    const { errors } = createOutput(
      openFaasOutput,
      spec({ functionname: 'f', kubeconfig: '~/.kube/config' }),
    );
    expect(errors).toEqual([expect.stringMatching(/^openfaas\.kubeconfig: calling the function through/)]);
  });
});

// outputs/openfaas.go without kubeconfig: Client.Post of the payload to the gateway
outputContract({
  name: 'openfaas',
  make: (url) =>
    createOutput(
      openFaasOutput,
      spec({ functionname: 'responder', endpoint: `${url}/function/responder.openfaas-fn?k=of-secret-9` }),
    ).output,
  secrets: [],
  checkRequest: (req) => {
    expect([req.method, req.url]).toEqual(['POST', '/function/responder.openfaas-fn?k=of-secret-9']);
    expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
  },
});
