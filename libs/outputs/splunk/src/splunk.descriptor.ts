import { defineOutput, HTTP_SETTINGS, setting, batchedRequests } from '@falconer/outputs-core';
import { formatSplunk } from './splunk.format';

export const SPLUNK_SETTINGS = {
  host: setting.url(
    'HTTP Event Collector URL, `https://splunk:8088/services/collector/event` (enables the output)',
    {
      required: true,
    },
  ),
  token: setting.string('HEC token (`Authorization: Splunk <token>`)', '', { secret: true }),
  ...HTTP_SETTINGS,
};

export const splunkOutput = defineOutput({
  type: 'splunk',
  title: 'Splunk HTTP Event Collector',
  section: 'splunk',
  enabledBy: ['host'],
  settings: SPLUNK_SETTINGS,
  falcosidekick: 'outputs/splunk.go',
  summary:
    'Sends events to a Splunk HTTP Event Collector (`{"event": <event>, "sourcetype": "falcosidekick"}`); the events queued together go in one request.',
  example: `splunk:
  host: https://splunk:8088/services/collector/event
  token: 00000000-0000-0000-0000-000000000000`,
  create: (v, ctx) =>
    batchedRequests(v, ctx, (events) => ({
      method: 'POST',
      url: v.host,
      headers: v.token !== '' ? { Authorization: `Splunk ${v.token}` } : undefined,
      body: formatSplunk(events),
    })),
});
