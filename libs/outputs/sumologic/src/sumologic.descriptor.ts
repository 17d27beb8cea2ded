import { defineOutput, HTTP_SETTINGS, setting, batchedRequests } from '@falconer/outputs-core';
import { serializeEventLines } from '@falconer/falco';

export const SUMOLOGIC_SETTINGS = {
  receiverurl: setting.url('HTTP Logs & Metrics Source URL (enables the output)', {
    required: true,
    secret: true,
  }),
  sourcecategory: setting.string('Source category override (`X-Sumo-Category`)'),
  sourcehost: setting.string('Source host override (`X-Sumo-Host`)'),
  name: setting.string('Source name override (`X-Sumo-Name`)'),
  ...HTTP_SETTINGS,
};

export const sumoLogicOutput = defineOutput({
  type: 'sumologic',
  title: 'Sumo Logic',
  section: 'sumologic',
  enabledBy: ['receiverurl'],
  settings: SUMOLOGIC_SETTINGS,
  falcosidekick: 'outputs/sumologic.go',
  summary:
    "Sends the event JSON to a Sumo Logic HTTP source, with falcosidekick's `X-Sumo-*` overrides; the events queued together go in one request, one per line.",
  example: `sumologic:
  receiverurl: https://endpoint4.collection.sumologic.com/receiver/v1/http/XXXX
  sourcecategory: security/falco
  sourcehost: k8s-prod`,
  create: (v, ctx) => {
    const headers: Record<string, string> = {};
    if (v.sourcecategory !== '') headers['X-Sumo-Category'] = v.sourcecategory;
    if (v.sourcehost !== '') headers['X-Sumo-Host'] = v.sourcehost;
    if (v.name !== '') headers['X-Sumo-Name'] = v.name;
    // falcosidekick's body is the event JSON with the newline of Go's json.Encoder: lines batch as is
    return batchedRequests(v, ctx, (events) => ({
      method: 'POST',
      url: v.receiverurl,
      headers,
      body: serializeEventLines(events),
    }));
  },
});
