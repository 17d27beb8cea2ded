import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FalconerConfig } from '@falconer/config';

export const SIGNATURE_HEADER = 'x-falconer-signature';
/** Timestamps further than this from our clock are refused (replay window), as the remediator does. */
export const SIGNATURE_SKEW_SECONDS = 300;

function hmac(secret: string, t: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest();
}

/** `t=<unix seconds>,v1=<hex hmac-sha256 of "<t>.<body>">` (tests and tools). */
export function signBody(
  secret: string,
  body: Buffer | string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const t = String(nowSeconds);
  return `t=${t},v1=${hmac(secret, t, Buffer.from(body)).toString('hex')}`;
}

/**
 * Checks `X-Falconer-Signature` against the raw body: several `v1=` (secret rotation), constant-time
 * comparison, a bounded timestamp window. Returns the reason for a refusal, or undefined when it is valid.
 */
export function signatureProblem(
  secret: string,
  header: string | undefined,
  body: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | undefined {
  if (header === undefined || header.trim() === '') return 'missing X-Falconer-Signature header';
  let t: string | undefined;
  const sigs: string[] = [];
  for (const part of header.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) return 'malformed X-Falconer-Signature header; expected t=<unix>,v1=<hex>';
    const key = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (key === 't') t = value;
    else if (key === 'v1') sigs.push(value);
  }
  if (t === undefined || !/^\d{1,12}$/.test(t) || sigs.length === 0)
    return 'malformed X-Falconer-Signature header; expected t=<unix>,v1=<hex>';
  if (Math.abs(nowSeconds - Number(t)) > SIGNATURE_SKEW_SECONDS)
    return 'signature timestamp outside the 5-minute window (check the clocks)';
  const expected = hmac(secret, t, body);
  for (const s of sigs) {
    if (/^[0-9a-fA-F]{64}$/.test(s) && timingSafeEqual(Buffer.from(s, 'hex'), expected)) return undefined;
  }
  return 'signature does not match the body';
}

/** The shared secret of the remediator's reports (`remediation.secret`, env `REMEDIATION_SECRET`); empty = unsigned accepted. */
export function remediationSecret(config: FalconerConfig): string {
  return config.remediation.secret;
}
