import type { FalcoEvent } from '@falconer/contracts';
import { serializeEventLines } from '@falconer/falco';

/**
 * falcosidekick's HEC body (outputs/splunk.go, newSplunkPayload) per event, one per line: HEC reads
 * several JSON events from one request body.
 */
export function formatSplunk(events: readonly FalcoEvent[]): string {
  return serializeEventLines(events, (json) => `{"event":${json},"sourcetype":"falcosidekick"}`);
}
