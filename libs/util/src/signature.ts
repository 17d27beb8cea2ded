import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Falconer's signature of an HTTP body, one implementation for every party: the webhook output signs,
 * the remediator verifies it and signs its reports, the router verifies those and signed ingest.
 */

/** Header of Falconer's signed webhook output and of the remediator's reports to the router. */
export const SIGNATURE_HEADER = 'x-falconer-signature';
/** Timestamps further than this from the receiver's clock are refused (replay window). */
export const SIGNATURE_SKEW_SECONDS = 300;

function hmac(secret: string, t: string, body: Buffer | string): Buffer {
  const h = createHmac('sha256', secret);
  h.update(`${t}.`);
  h.update(body);
  return h.digest();
}

/** `t=<unix seconds>,v1=<hex hmac-sha256 of "<t>.<body>">` */
export function signBody(
  secret: string,
  body: Buffer | string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const t = String(nowSeconds);
  return `t=${t},v1=${hmac(secret, t, body).toString('hex')}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * Checks a signature header against the raw body. Several `v1=` entries are accepted (secret rotation:
 * the sender may sign with the old and the new secret). Comparison is constant-time.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: Buffer | string,
  nowSeconds = Math.floor(Date.now() / 1000),
  skewSeconds = SIGNATURE_SKEW_SECONDS,
): VerifyResult {
  if (header === undefined || header.trim() === '')
    return { ok: false, reason: 'missing X-Falconer-Signature header' };
  let t: string | undefined;
  const sigs: string[] = [];
  for (const part of header.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0)
      return { ok: false, reason: 'malformed X-Falconer-Signature header; expected t=<unix>,v1=<hex>' };
    const key = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (key === 't') t = value;
    else if (key === 'v1') sigs.push(value);
  }
  if (t === undefined || !/^\d{1,12}$/.test(t) || sigs.length === 0) {
    return { ok: false, reason: 'malformed X-Falconer-Signature header; expected t=<unix>,v1=<hex>' };
  }
  if (Math.abs(nowSeconds - Number(t)) > skewSeconds) {
    return {
      ok: false,
      reason: `signature timestamp outside the ${skewSeconds / 60}-minute window (check the clocks)`,
    };
  }
  const expected = hmac(secret, t, body);
  for (const s of sigs) {
    if (!/^[0-9a-fA-F]{64}$/.test(s)) continue;
    if (timingSafeEqual(Buffer.from(s, 'hex'), expected)) return { ok: true };
  }
  return { ok: false, reason: 'signature does not match the body' };
}

/**
 * Signatures already accepted, remembered for the skew window: the same signed request sent again
 * (captured and replayed) is refused. Bounded: past `max` live entries the oldest is forgotten (a
 * sender with the secret could only push its own old signatures out).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowSeconds = SIGNATURE_SKEW_SECONDS,
    private readonly max = 100_000,
  ) {}

  /** True the first time a signature is presented within the window, false for a replay. */
  firstUse(signature: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
    for (const [sig, until] of this.seen) {
      if (until >= nowSeconds && this.seen.size < this.max) break;
      this.seen.delete(sig);
    }
    if (this.seen.has(signature)) return false;
    // a timestamp may be up to the window in the future: remember it for twice the window
    this.seen.set(signature, nowSeconds + 2 * this.windowSeconds);
    return true;
  }
}

/** verifySignature, then the replay check: one call for every receiver of signed requests. */
export function verifySignedOnce(
  guard: ReplayGuard,
  secret: string,
  header: string | undefined,
  body: Buffer | string,
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  const v = verifySignature(secret, header, body, nowSeconds);
  if (!v.ok) return v;
  // a valid signature is determined by its timestamp and the body: that pair is what may not repeat
  // the last `t=` is the one verifySignature used
  const t = [...(header ?? '').matchAll(/(?:^|,)\s*t\s*=\s*(\d+)/g)].pop()?.[1] ?? '';
  const key = createHash('sha256').update(`${t}.`).update(body).digest('base64');
  if (!guard.firstUse(key, nowSeconds))
    return { ok: false, reason: 'this signed request was already received (replay refused)' };
  return v;
}
