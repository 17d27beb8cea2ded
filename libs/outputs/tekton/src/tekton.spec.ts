import { createOutput } from '@falconer/outputs-core';
import { outputContract, SAMPLE_EVENT_JSON } from '@falconer/outputs-testing';
import { expect } from 'vitest';
import { tektonOutput } from './tekton.descriptor';

// outputs/tekton.go: Client.Post of the payload to the EventListener, nothing else
outputContract({
  name: 'tekton',
  make: (url) =>
    createOutput(
      tektonOutput,
      {
        name: 'tekton',
        type: 'tekton',
        path: 'tekton',
        settings: { eventlistener: `${url}/?t=tekton-secret-1`, customheaders: 'X-Token:tk-hdr-secret' },
      },
      {},
    ).output,
  secrets: ['tekton-secret-1', 'tk-hdr-secret'],
  checkRequest: (req) => {
    expect([req.method, req.url]).toEqual(['POST', '/?t=tekton-secret-1']);
    expect(req.text).toBe(SAMPLE_EVENT_JSON + '\n');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
  },
});
