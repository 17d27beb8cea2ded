import { REDACTED, redactUrl, scrub } from '@falconer/util';

/**
 * Every spelling of the secrets that could leak into an error text: as is, URL-encoded (query
 * parameters), base64 (basic auth). Values shorter than 4 characters are not scrubbed (see util scrub).
 */
export function secretVariants(secrets: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (s === undefined || s === '') continue;
    out.add(s);
    out.add(encodeURIComponent(s));
    out.add(Buffer.from(s).toString('base64'));
  }
  // Longest first, so a secret that contains another is removed whole.
  return [...out].sort((a, b) => b.length - a.length);
}

/** A URL's secret parts (path, query, credentials) as secrets, for outputs whose URL is the credential. */
export function urlSecrets(raw: string): string[] {
  try {
    const u = new URL(raw);
    const out: string[] = [];
    if (u.pathname.length > 1) out.push(u.pathname, u.pathname.slice(1));
    if (u.search !== '') out.push(u.search.slice(1));
    for (const v of u.searchParams.values()) out.push(v);
    if (u.username !== '') out.push(decodeURIComponent(u.username));
    if (u.password !== '') out.push(decodeURIComponent(u.password));
    out.push(raw);
    return out.filter((s) => s.length >= 4);
  } catch {
    return [raw];
  }
}

/** A short, single-line, secret-free excerpt of a response or error text. */
export function safeExcerpt(text: string, secrets: readonly string[], max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const clean = scrub(flat, secrets);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export { REDACTED, redactUrl, scrub };
