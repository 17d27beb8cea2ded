import { LosslessNumber, type FalcoEvent } from '@falconer/contracts';
import {
  decodeBody,
  EventValidationError,
  validateEventValue,
  type EventLimits,
  DEFAULT_LIMITS,
} from '@falconer/falco';

export { EventValidationError };

/** Most events one webhook request may carry (Falconer's batched webhook output sends arrays). */
export const MAX_BATCH = 10_000;

/**
 * A webhook body: one Falco event (raw from Falco, or Falconer's webhook output, which appends "\n"),
 * falcosidekick-ui's `{event, outputs}` envelope, or a JSON array of events (batched webhook output).
 * All-or-nothing: one invalid event refuses the request.
 */
export function parseEventsBody(body: Buffer, limits: EventLimits = DEFAULT_LIMITS): FalcoEvent[] {
  const value = decodeBody(body, limits);
  if (Array.isArray(value)) {
    if (value.length === 0)
      throw new EventValidationError(
        'body is an empty array; expected at least one event',
        undefined,
        'invalid_event',
      );
    if (value.length > MAX_BATCH)
      throw new EventValidationError(
        `more than ${MAX_BATCH} events in one request`,
        undefined,
        'invalid_event',
      );
    return value.map((v, i) => validateEventValue(v, limits, `[${i}].`).event);
  }
  if (value instanceof LosslessNumber)
    throw new EventValidationError('body: expected a JSON object, got a number');
  return [validateEventValue(value, limits).event];
}
