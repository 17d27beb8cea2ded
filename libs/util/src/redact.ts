/** Key names whose values are secrets wherever they appear (config, errors, API). */
const SECRET_KEYS =
  /(password|secret|token|apikey|webhookurl|hmacsecret|key$|keyfile|authorization|^url$|^address$|hostport)/i;

export const REDACTED = '***';

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.test(key);
}

/**
 * Replaces secret values in a config-like tree with `***`. URLs that are not secret as a whole keep
 * their scheme and host but lose credentials and query strings.
 */
export function redactTree(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redactTree(v, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactTree(v, k);
    return out;
  }
  if (typeof value === 'string' && value !== '' && isSecretKey(key)) {
    return /^(url|address|hostport)$/i.test(key) ? redactUrl(value) : REDACTED;
  }
  return value;
}

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
