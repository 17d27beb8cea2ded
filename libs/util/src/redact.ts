export const REDACTED = '***';

/** `https://user:pw@host/path?token=x` → `https://***@host/***`: keeps what an operator needs to recognise it. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const auth = u.username !== '' || u.password !== '' ? '***@' : '';
    const rest = u.pathname !== '/' || u.search !== '' ? '/***' : '';
    return `${u.protocol}//${auth}${u.host}${rest}`;
  } catch {
    return REDACTED;
  }
}

/** Removes every occurrence of the given secrets from a message. */
export function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return out;
}
