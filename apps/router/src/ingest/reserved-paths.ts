import type { FastifyInstance } from 'fastify';

/**
 * Which POSTs the raw ingest fast path must leave to Fastify: those under a namespace the app's own routes
 * use. A namespace is a route's first path segment (`/api/v1/events` → `/api`, `/test`, `/metrics`, the
 * dashboard's base path), learnt from the routes as they are registered, so a new route needs no list to
 * be kept in step with it. Everything else is Falco's: it posts to `/` or any path its
 * `http_output.url` names, as falcosidekick accepts.
 */
export class ReservedPaths {
  private readonly namespaces = new Set<string>();

  /** Records the namespace of a route pattern; `/`, `/*` and a leading parameter claim none. */
  addRoute(url: string): void {
    const first = firstSegment(url);
    if (first.length > 1 && first[1] !== ':' && first[1] !== '*') this.namespaces.add(first);
  }

  /** True when a POST to `path` (no query string) belongs to a route of the app, not to ingest. */
  has(path: string): boolean {
    return this.namespaces.has(firstSegment(path));
  }
}

function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end < 0 ? path : path.slice(0, end);
}

/**
 * Watches every route registered on `fastify` from now on (Nest's controllers, the plugins' routes,
 * routes added before `listen`). Call it before any route is registered; `extra` adds namespaces served
 * outside Fastify's router (socket.io's path).
 */
export function watchRoutes(fastify: FastifyInstance, extra: readonly string[] = []): ReservedPaths {
  const reserved = new ReservedPaths();
  for (const path of extra) reserved.addRoute(path);
  fastify.addHook('onRoute', (route) => reserved.addRoute(route.url));
  return reserved;
}
