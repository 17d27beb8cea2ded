import { defineOutput, HTTP_SETTINGS, setting, batchedRequests } from '@falconer/outputs-core';
import { formatDynatrace } from './dynatrace.format';

export const DYNATRACE_SETTINGS = {
  apitoken: setting.string('API token with the `logs.ingest` scope (enables the output, with `apiurl`)', '', {
    required: true,
    secret: true,
  }),
  apiurl: setting.url('Environment API URL, `https://<env-id>.live.dynatrace.com/api`', { required: true }),
  ...HTTP_SETTINGS,
};

export const dynatraceOutput = defineOutput({
  type: 'dynatrace',
  title: 'Dynatrace',
  section: 'dynatrace',
  enabledBy: ['apitoken', 'apiurl'],
  settings: DYNATRACE_SETTINGS,
  falcosidekick: 'outputs/dynatrace.go',
  summary:
    "Sends events to Dynatrace's log ingest API (`/v2/logs/ingest`) with falcosidekick's semantic attributes (MITRE technique and tactic from the tags, container, Kubernetes, process); the events queued together go in one request.",
  example: `dynatrace:
  apitoken: dt0c01.XXXX.YYYY
  apiurl: https://abc12345.live.dynatrace.com/api`,
  create: (v, ctx) =>
    batchedRequests(v, ctx, (events) => ({
      method: 'POST',
      url: `${v.apiurl.replace(/\/+$/, '')}/v2/logs/ingest`,
      headers: { Authorization: `Api-Token ${v.apitoken}` },
      body: formatDynatrace(events),
    })),
});
