import type { DeliveryAttempt, DeliveryStatus, TriageMark } from '@falconer/contracts';

/** The triage state of an event nobody has touched. */
export const NEW_TRIAGE: Readonly<TriageMark> = Object.freeze({ state: 'new' });

/** The attempt a delivery status reports: every status the delivery layer writes ends one attempt. */
export function attemptOf(status: DeliveryStatus): DeliveryAttempt {
  const a: DeliveryAttempt = {
    output: status.output,
    attempt: status.attempts,
    state: status.state,
    at: status.updatedAt,
  };
  if (status.reason !== undefined) a.reason = status.reason;
  if (status.detail !== undefined) a.detail = status.detail;
  return a;
}
