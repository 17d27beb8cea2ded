import { type FalcoEvent, type JsonValue } from '@falconer/contracts';
import { goJsonString, stringifyGoSorted } from '@falconer/falco';
import { goRfc3339Seconds } from '@falconer/outputs-core';

/**
 * falcosidekick's Events API v2 body (outputs/pagerduty.go, go-pagerduty's V2Event marshalled with
 * json.Marshal: no trailing newline). `custom_details` is the output fields plus `hostname`, keys sorted.
 */
export function formatPagerduty(event: FalcoEvent, routingKey: string): string {
  const details: Record<string, JsonValue> = { ...(event.output_fields as Record<string, JsonValue>) };
  if (event.hostname !== '') details['hostname'] = event.hostname;
  return (
    `{"routing_key":${goJsonString(routingKey)},"event_action":"trigger","payload":{` +
    `"summary":${goJsonString(event.output)},"source":"falco","severity":"critical",` +
    `"timestamp":${goJsonString(goRfc3339Seconds(event.time) ?? event.time)},` +
    `"custom_details":${stringifyGoSorted(details)}}}`
  );
}
