import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';

/** falcosidekick's default `subjecttemplate`. */
export const DEFAULT_SUBJECT = 'falco.<priority>.<rule>';

/** The rule as a subject token: lower case, every run of other characters than a-z0-9 as `_`, trimmed. */
export function ruleSlug(rule: string): string {
  return rule
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The subject of an event: `<priority>` and `<rule>` of the template replaced (outputs/nats.go). */
export function natsSubject(template: string, event: FalcoEvent): string {
  const t = template === '' ? DEFAULT_SUBJECT : template;
  return t.split('<priority>').join(event.priority.toLowerCase()).split('<rule>').join(ruleSlug(event.rule));
}

/** The message body: the event as falcosidekick's `json.Marshal` writes it (no trailing newline). */
export function natsPayload(event: FalcoEvent): string {
  return serializeEvent(event);
}
