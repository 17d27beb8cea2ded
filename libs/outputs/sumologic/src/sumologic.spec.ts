import { serializeEvent, serializeEventLines } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { expect } from 'vitest';
import { sumoLogicOutput } from './sumologic.descriptor';

// falcosidekick outputs/sumologic.go posts the FalcoPayload itself: its JSON plus the encoder's newline
outputContract({
  name: 'sumologic',
  make: (url) =>
    createOutput(sumoLogicOutput, {
      name: 'sumologic',
      type: 'sumologic',
      path: 'sumologic',
      settings: {
        receiverurl: `${url}/receiver/v1/http/ZaVnC4dhaV2sumoS3cr3t`,
        sourcecategory: 'security/falco',
        sourcehost: 'k8s-prod',
        name: 'falconer',
      },
    }).output,
  batch: [sampleEvent(), secondEvent()],
  secrets: ['ZaVnC4dhaV2sumoS3cr3t'],
  checkRequest: (req) => {
    expect(req.url).toBe('/receiver/v1/http/ZaVnC4dhaV2sumoS3cr3t');
    expect(req.headers['x-sumo-category']).toBe('security/falco');
    expect(req.headers['x-sumo-host']).toBe('k8s-prod');
    expect(req.headers['x-sumo-name']).toBe('falconer');
    expect(req.text).toBe(`${serializeEvent(sampleEvent())}\n${serializeEvent(secondEvent())}\n`);
    expect(serializeEventLines([sampleEvent()])).toBe(`${serializeEvent(sampleEvent())}\n`);
  },
});
