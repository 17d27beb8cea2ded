import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { signBody } from '@falconer/util';

/**
 * The body: falcosidekick's enriched event JSON plus the newline Go's json.Encoder writes, or — with
 * `batch: true` — a JSON array of them.
 */
export function formatWebhook(events: readonly FalcoEvent[], asArray: boolean): string {
  if (!asArray) return serializeEvent(events[0] as FalcoEvent) + '\n';
  // brackets put on the first and last part: one join makes the whole body as one flat string
  const parts = events.map((e) => serializeEvent(e));
  parts[0] = '[' + (parts[0] ?? '');
  parts[parts.length - 1] += ']\n';
  return parts.join(',');
}

export const SIGNATURE_HEADER = 'X-Falconer-Signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` — what a receiver recomputes to reject forged calls. */
export function signWebhook(body: string | Buffer, secret: string, unixSeconds: number): string {
  return signBody(secret, body, unixSeconds);
}
