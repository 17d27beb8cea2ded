import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_EVENT_JSON, serviceProxyContract } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { kubelessOutput, kubelessUrl } from './kubeless.descriptor';

const spec = (settings: Record<string, unknown>) => ({
  name: 'kubeless',
  type: 'kubeless',
  path: 'kubeless',
  settings,
});

describe('kubeless (outputs/kubeless.go)', () => {
  it("calls falcosidekick's in-cluster function URL, and warns that Kubeless is unmaintained", () => {
    const { errors, warnings } = createOutput(
      kubelessOutput,
      spec({ function: 'responder', namespace: 'kubeless' }),
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/^kubeless: Kubeless is no longer maintained/)]);
    expect(kubelessUrl({ function: 'responder', namespace: 'kubeless', port: 8080 })).toBe(
      'http://responder.kubeless.svc.cluster.local:8080',
    );
  });

  it('needs the namespace, as falcosidekick does', () => {
    expect(createOutput(kubelessOutput, spec({ function: 'responder' })).errors).toEqual([
      'kubeless.namespace: required',
    ]);
  });
});

outputContract({
  name: 'kubeless',
  make: (url) =>
    createOutput(kubelessOutput, spec({ function: 'f', namespace: 'kubeless', endpoint: `${url}/` })).output,
  secrets: [],
  checkRequest: (req) => {
    expect([req.method, req.url]).toEqual(['POST', '/']);
    expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['event-type']).toBe('falco');
    expect(req.headers['event-namespace']).toBe('kubeless');
    expect(req.headers['event-id']).toMatch(/^[0-9a-f-]{36}$/);
  },
});

// outputs/kubeless.go with kubeconfig: AbsPath("/api/v1/namespaces/<namespace>/services/<function>:<port>/proxy/")
// (the trailing slash kept), with event-type and event-namespace headers
serviceProxyContract({
  descriptor: kubelessOutput,
  settings: { function: 'responder', namespace: 'kubeless', port: 8080 },
  expected: { namespace: 'kubeless', service: 'responder', port: '8080', path: '/' },
  headers: { 'event-type': 'falco', 'event-namespace': 'kubeless' },
});
