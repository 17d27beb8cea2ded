import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { pagerdutyOutput } from './pagerduty.descriptor';
import { formatPagerduty } from './pagerduty.format';

const KEY = 'R0123456789ABCDEF0123456789ABCDE';
const OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';

describe('PagerDuty Events v2 body (falcosidekick outputs/pagerduty.go, createPagerdutyEvent)', () => {
  it('the sample event, byte for byte', () => {
    expect(formatPagerduty(sampleEvent(), KEY)).toBe(
      `{"routing_key":"${KEY}","event_action":"trigger","payload":{"summary":"${OUTPUT}","source":"falco",` +
        '"severity":"critical","timestamp":"2019-05-17T15:31:56Z","custom_details":{"evt.time":1507591916746609046,' +
        '"fd.name":"/bin/hack","hostname":"falco-node-1","proc.cmdline":"touch /bin/hack","user.name":"root"}}}',
    );
  });

  it('region picks the Events API host; endpoint overrides it', () => {
    const url = (settings: Record<string, unknown>) =>
      createOutput(pagerdutyOutput, {
        name: 'pagerduty',
        type: 'pagerduty',
        path: 'pagerduty',
        settings: { routingkey: KEY, ...settings },
      });
    expect(url({}).errors).toEqual([]);
    expect(url({ region: 'mars' }).errors).toEqual(['pagerduty.region: expected us|eu, got "mars"']);
  });
});

outputContract({
  name: 'pagerduty',
  make: (url) =>
    createOutput(pagerdutyOutput, {
      name: 'pagerduty',
      type: 'pagerduty',
      path: 'pagerduty',
      settings: { routingkey: KEY, endpoint: `${url}/v2/enqueue` },
    }).output,
  secrets: [KEY],
  okReply: () => ({ status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"x"}' }),
  checkRequest: (req) => {
    expect(req.url).toBe('/v2/enqueue');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.text).toBe(formatPagerduty(sampleEvent(), KEY));
  },
});
