/** Where socket.io listens: engine.io answers there before Fastify's router sees the request. */
export const LIVE_PATH = '/socket.io';
