import type { HandshakeAuth } from '@falconer/contracts';
import { basePath } from '../app/base';

/**
 * The authentication seam (SECURITY.md). The router keeps the session in an HttpOnly cookie the page
 * never sees: the browser attaches it to every same-origin request and to the socket.io handshake, so
 * nothing is stored or sent by hand. What the page does: go to the sign-in page when the session is
 * gone (401), and sign out with a form post.
 */
export const LOGOUT_PATH = '/api/v1/logout';

export function authorizeRequest(_headers: Headers): void {
  // the session cookie travels by itself
}

export function handshakeAuth(): HandshakeAuth {
  return {};
}

/** The session expired or was ended elsewhere: show the sign-in page. */
export function onUnauthorized(loc: Pick<Location, 'assign'> = window.location): void {
  const base = basePath();
  loc.assign(`${base === '/' ? '' : base}/login`);
}
