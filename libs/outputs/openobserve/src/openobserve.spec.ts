import { serializeEvent } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { expect } from 'vitest';
import { openObserveOutput } from './openobserve.descriptor';

// falcosidekick outputs/openobserve.go posts the FalcoPayload to /api/<org>/<stream>/_multi
outputContract({
  name: 'openobserve',
  make: (url) =>
    createOutput(openObserveOutput, {
      name: 'openobserve',
      type: 'openobserve',
      path: 'openobserve',
      settings: {
        hostport: url,
        organizationname: 'sec',
        username: 'root@example.com',
        password: 'oo-S3cr3t-pw',
      },
    }).output,
  batch: [sampleEvent(), secondEvent()],
  secrets: ['oo-S3cr3t-pw', Buffer.from('root@example.com:oo-S3cr3t-pw').toString('base64')],
  checkRequest: (req) => {
    expect(req.url).toBe('/api/sec/falco/_multi');
    expect(req.headers['authorization']).toBe(
      `Basic ${Buffer.from('root@example.com:oo-S3cr3t-pw').toString('base64')}`,
    );
    expect(req.text).toBe(`${serializeEvent(sampleEvent())}\n${serializeEvent(secondEvent())}\n`);
  },
});
