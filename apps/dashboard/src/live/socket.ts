import { io } from 'socket.io-client';
import { handshakeAuth } from '../api/auth';
import type { LiveSocket } from './connector';

/** The page's socket: same origin, `/socket.io`, credentials from the auth seam on every (re)connect. */
export function createLiveSocket(): LiveSocket {
  return io({
    path: '/socket.io',
    autoConnect: false,
    transports: ['websocket', 'polling'],
    auth: (cb) => cb({ ...handshakeAuth() }),
  });
}
