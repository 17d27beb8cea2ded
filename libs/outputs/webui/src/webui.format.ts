import { type FalcoEvent } from '@falconer/contracts';
import { serializeEvent, goJsonString } from '@falconer/falco';

/**
 * falcosidekick-ui's envelope, as falcosidekick marshals it: `{"event":<event>,"outputs":[...]}`. The event
 * is written with serializeEvent so its numbers leave exactly as they came in.
 */
export function formatWebUi(event: FalcoEvent, outputs: readonly string[]): string {
  return `{"event":${serializeEvent(event)},"outputs":[${outputs.map(goJsonString).join(',')}]}`;
}
