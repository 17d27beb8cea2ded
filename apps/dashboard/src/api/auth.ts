import type { HandshakeAuth } from '@falconer/contracts';

/**
 * The authentication seam (spec/security.md comes later). Credentials are attached in exactly two places:
 * every HTTP request of the API client goes through `authorizeRequest`, and the socket.io handshake takes
 * `handshakeAuth()`. Nothing is stored in the browser today.
 */
export function authorizeRequest(_headers: Headers): void {
  // no credentials yet
}

export function handshakeAuth(): HandshakeAuth {
  return {};
}
