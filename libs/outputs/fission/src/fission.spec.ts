import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_EVENT_JSON, serviceProxyContract } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { fissionOutput, fissionUrl } from './fission.descriptor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const spec = (settings: Record<string, unknown>) => ({
  name: 'fission',
  type: 'fission',
  path: 'fission',
  settings,
});

describe('fission (outputs/fission.go)', () => {
  it("calls falcosidekick's in-cluster router URL by default", () => {
    expect(createOutput(fissionOutput, spec({ function: 'responder' })).errors).toEqual([]);
    expect(
      fissionUrl({
        routerservice: 'router',
        routernamespace: 'fission',
        routerport: 80,
        function: 'responder',
      }),
    ).toBe('http://router.fission.svc.cluster.local:80/fission-function/responder');
  });
});

outputContract({
  name: 'fission',
  make: (url) =>
    createOutput(
      fissionOutput,
      spec({ function: 'responder', endpoint: `${url}/fission-function/responder` }),
    ).output,
  secrets: [],
  checkRequest: (req) => {
    expect([req.method, req.url]).toEqual(['POST', '/fission-function/responder']);
    expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['event-id']).toMatch(UUID);
  },
});

// outputs/fission.go with kubeconfig: AbsPath("/api/v1/namespaces/<routernamespace>/services/<routerservice>:<routerport>
// /proxy/" + "/fission-function/<function>"), whose path.Join drops the double slash
serviceProxyContract({
  descriptor: fissionOutput,
  settings: { function: 'responder', routernamespace: 'fission-sys' },
  expected: { namespace: 'fission-sys', service: 'router', port: '80', path: '/fission-function/responder' },
});
