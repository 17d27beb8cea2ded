import type { IncomingHttpHeaders } from 'node:http';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Same-origin rule for browsers: an `Origin` must be the router's own (scheme and Host of the request)
 * or listed in `ui.allowedorigins`; without `Origin`, a `Sec-Fetch-Site` must be `same-origin` or
 * `none`. A request with neither header does not come from a browser page and cannot be forged by one.
 */
export function sameOrigin(headers: IncomingHttpHeaders, tls: boolean, allowed: readonly string[]): boolean {
  const origin = header(headers, 'origin');
  const site = header(headers, 'sec-fetch-site');
  // `Origin: null`: a page with `Referrer-Policy: no-referrer` (the dashboard's) posting a form — or a
  // sandboxed frame anywhere; only Sec-Fetch-Site can tell them apart
  if (origin === 'null') return site === 'same-origin';
  if (origin !== undefined && origin !== '') {
    const host = header(headers, 'host');
    if (host !== undefined && origin === `${tls ? 'https' : 'http'}://${host}`) return true;
    return allowed.includes(origin);
  }
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** A browser sent this from a web page on another site (finding 3: `no-cors` POSTs to ingest). */
export function fromOtherSite(headers: IncomingHttpHeaders): boolean {
  const site = header(headers, 'sec-fetch-site');
  return header(headers, 'origin') !== undefined && site !== 'same-origin' && site !== 'none';
}

/** The client is this machine (127.0.0.0/8, ::1, IPv4-mapped loopback). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}
