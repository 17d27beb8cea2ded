import { serializeEvent } from '@falconer/falco';
import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { datadogLogsOutput, datadogOutput } from './datadog.descriptor';
import { formatDatadogEvent, formatDatadogLogs } from './datadog.format';

const OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';
const KEY = '0123456789abcdef0123456789abcdef';

describe('Datadog bodies', () => {
  it('event for the sample event (falcosidekick outputs/datadog.go, newDatadogPayload), byte for byte', () => {
    expect(formatDatadogEvent(sampleEvent())).toBe(
      `{"title":"Write below binary dir","text":"${OUTPUT}","alert_type":"error","source_type_name":"falco",` +
        '"tags":["fd.name:/bin/hack","proc.cmdline:touch /bin/hack","user.name:root","source:syscall","source:falco",' +
        '"hostname:falco-node-1","filesystem","mitre_persistence"]}\n',
    );
    expect(JSON.parse(formatDatadogEvent(secondEvent())).alert_type).toBe('info');
  });

  it('log for the sample event (falcosidekick outputs/datadog_logs.go, newDatadogLogsPayload), byte for byte', () => {
    expect(formatDatadogLogs([sampleEvent()], 'falco-svc')).toBe(
      `{"ddsource":"falco","hostname":"falco-node-1","service":"falco-svc","message":${JSON.stringify(
        serializeEvent(sampleEvent()),
      )},"ddtags":"filesystem,mitre_persistence"}\n`,
    );
  });

  it('several logs: one JSON array', () => {
    const body = JSON.parse(formatDatadogLogs([sampleEvent(), secondEvent({ hostname: '', tags: [] })], ''));
    expect(body).toHaveLength(2);
    expect(body[1]).toEqual({
      ddsource: 'falco',
      message: serializeEvent(secondEvent({ hostname: '', tags: [] })),
    });
  });
});

outputContract({
  name: 'datadog',
  make: (url) =>
    createOutput(datadogOutput, {
      name: 'datadog',
      type: 'datadog',
      path: 'datadog',
      settings: { apikey: KEY, host: url },
    }).output,
  secrets: [KEY],
  checkRequest: (req) => {
    expect(req.url).toBe(`/api/v1/events?api_key=${KEY}`);
    expect(req.text).toBe(formatDatadogEvent(sampleEvent()));
  },
});

outputContract({
  name: 'datadoglogs',
  make: (url) =>
    createOutput(datadogLogsOutput, {
      name: 'datadoglogs',
      type: 'datadoglogs',
      path: 'datadoglogs',
      settings: { apikey: KEY, host: `${url}/` },
    }).output,
  batch: [sampleEvent(), secondEvent()],
  secrets: [KEY],
  checkRequest: (req) => {
    // the default host ends with a slash: no `//api` (falcosidekick's double slash)
    expect(req.url).toBe('/api/v2/logs');
    expect(req.headers['dd-api-key']).toBe(KEY);
    expect(JSON.parse(req.text)).toHaveLength(2);
  },
});
