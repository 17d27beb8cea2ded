import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_EVENT_JSON, serviceProxyContract } from '@falconer/outputs-testing';
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

// outputs/openfaas.go with kubeconfig: RESTClient().Post().AbsPath("/api/v1/namespaces/<gatewaynamespace>/services/
// <gatewayservice>:<gatewayport>/proxy/function/<functionname>.<functionnamespace>").Body(json.Marshal(payload))
serviceProxyContract({
  descriptor: openFaasOutput,
  settings: {
    functionname: 'responder',
    functionnamespace: 'fn-ns',
    gatewaynamespace: 'of',
    gatewayport: 8081,
  },
  expected: { namespace: 'of', service: 'gateway', port: '8081', path: '/function/responder.fn-ns' },
});
