import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';

/** The Pub/Sub message data, the Storage object, the Cloud Run body: falcosidekick's event JSON. */
export function eventJson(event: FalcoEvent): string {
  return serializeEvent(event);
}

/** Cloud Functions v1 `:call` request: the event JSON as the `data` string. */
export function callFunctionBody(event: FalcoEvent): string {
  return JSON.stringify({ data: eventJson(event) });
}
