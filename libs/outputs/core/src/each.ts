import type { FalcoEvent } from '@falconer/contracts';
import type { SendResult } from './output';

/**
 * For outputs whose destination takes one event per request, when the delivery layer hands them more:
 * sends in order and stops at the first failure, reporting the unsent rest as `failedIndexes` (not a
 * retry — each event is sent at most once per call).
 */
export async function sendEach(
  batch: readonly FalcoEvent[],
  one: (event: FalcoEvent) => Promise<SendResult>,
): Promise<SendResult> {
  for (let i = 0; i < batch.length; i++) {
    const r = await one(batch[i] as FalcoEvent);
    if (!r.ok) {
      if (batch.length === 1) return r;
      const rest = Array.from({ length: batch.length - i }, (_, k) => i + k);
      return r.retryable
        ? { ...r, failedIndexes: rest }
        : { ...r, failedIndexes: rest.slice(1), rejectedIndexes: [i], retryable: rest.length > 1 };
    }
  }
  return { ok: true };
}
