import { rfc3339Nano } from './event-time';

/** falcosidekick's object key (S3, GCS, Yandex): `<prefix>/<YYYY-MM-DD>/<RFC3339Nano of the upload>.json`. */
export function objectKey(prefix: string, epochNs: bigint): string {
  const stamp = rfc3339Nano(epochNs);
  return `${prefix}/${stamp.slice(0, 10)}/${stamp}.json`;
}

/**
 * Upload times in nanoseconds from a millisecond clock: when several objects are stored within one
 * millisecond, the nanosecond digits count them up, so no object's key overwrites another's.
 */
export function uploadClock(now: () => number): () => bigint {
  let lastMs = 0;
  let n = 0;
  return () => {
    const ms = now();
    n = ms === lastMs ? n + 1 : 0;
    lastMs = ms;
    return BigInt(ms) * 1_000_000n + BigInt(n % 1_000_000);
  };
}
