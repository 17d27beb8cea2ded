import { type FalcoEvent } from '@falconer/contracts';
import { goSprint, goJsonString } from '@falconer/falco';
import { epochIn } from '@falconer/outputs-core';

export interface GrafanaAnnotationOptions {
  dashboardId: number;
  panelId: number;
  allFieldsAsTags: boolean;
}

/**
 * falcosidekick's annotation body (outputs/grafana.go, newGrafanaPayload): ids left out when 0, time and
 * timeEnd the event's milliseconds, the newline of Go's json.Encoder.
 */
export function formatGrafanaAnnotation(event: FalcoEvent, o: GrafanaAnnotationOptions): string {
  const tags = ['falco', event.priority, event.rule, event.source];
  if (event.hostname !== '') tags.push(event.hostname);
  if (o.allFieldsAsTags) {
    // falcosidekick walks a Go map (random order); sorted keys make it stable
    for (const k of Object.keys(event.output_fields).sort()) tags.push(goSprint(event.output_fields[k]));
    tags.push(...event.tags);
  }
  const ms = epochIn(event.time, 'ms') ?? '0';
  return (
    '{' +
    (o.dashboardId !== 0 ? `"dashboardId":${o.dashboardId},` : '') +
    (o.panelId !== 0 ? `"panelId":${o.panelId},` : '') +
    `"time":${ms},"timeEnd":${ms},"tags":[${tags.map(goJsonString).join(',')}],"text":${goJsonString(event.output)}}\n`
  );
}

/** falcosidekick's Grafana OnCall body (outputs/grafana.go, newGrafanaOnCallPayload). */
export function formatGrafanaOnCall(event: FalcoEvent): string {
  return (
    `{"alert_uid":${goJsonString(event.uuid)},"state":"alerting",` +
    `"title":${goJsonString(`[${event.priority}] ${event.rule}`)},"message":${goJsonString(event.output)}}\n`
  );
}
