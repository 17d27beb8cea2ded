import { serializeEvent } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { splunkOutput } from './splunk.descriptor';
import { formatSplunk } from './splunk.format';

describe('Splunk HEC body (falcosidekick outputs/splunk.go, newSplunkPayload)', () => {
  it('the sample event, byte for byte; a batch is one event per line', () => {
    expect(formatSplunk([sampleEvent()])).toBe(
      `{"event":${serializeEvent(sampleEvent())},"sourcetype":"falcosidekick"}\n`,
    );
    const lines = formatSplunk([sampleEvent(), secondEvent()]).split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!).event.uuid).toBe(secondEvent().uuid);
  });
});

outputContract({
  name: 'splunk',
  make: (url) =>
    createOutput(splunkOutput, {
      name: 'splunk',
      type: 'splunk',
      path: 'splunk',
      settings: { host: `${url}/services/collector/event`, token: 'hec-s3cr3t-token' },
    }).output,
  batch: [sampleEvent(), secondEvent()],
  secrets: ['hec-s3cr3t-token'],
  okReply: () => ({ status: 200, body: '{"text":"Success","code":0}' }),
  checkRequest: (req) => {
    expect(req.url).toBe('/services/collector/event');
    expect(req.headers['authorization']).toBe('Splunk hec-s3cr3t-token');
    expect(req.text).toBe(formatSplunk([sampleEvent(), secondEvent()]));
  },
});
