/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): the
 * wait before retry n (n = failures so far, from 1) is uniform in [0, min(cap, base·2^(n-1))).
 * Full jitter spreads the retries of a burst so a recovering destination is not hit all at once.
 */
export function backoffDelay(
  failures: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.floor(random() * exp);
}

/** The wait before the next attempt: backoff, but never sooner than the destination's Retry-After. */
export function retryDelay(
  failures: number,
  baseMs: number,
  capMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const b = backoffDelay(failures, baseMs, capMs, random);
  return retryAfterMs === undefined ? b : Math.max(b, retryAfterMs);
}
