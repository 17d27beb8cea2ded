import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Content-Security-Policy of the dashboard: no inline scripts, no framing. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'";

/**
 * Serves the built dashboard under the base path. Client-side routes fall back to index.html, which
 * carries the base path in `<meta name="falconer-base">` so the SPA works under any prefix.
 */
export async function registerUi(fastify: FastifyInstance, dir: string, basepath: string): Promise<void> {
  const indexFile = join(dir, 'index.html');
  const securityHeaders = {
    'content-security-policy': CSP,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (!existsSync(indexFile)) {
    fastify.get(basepath, (_req, reply) =>
      reply.code(503).type('text/plain').send('The dashboard is not built: run `npm run build`.\n'),
    );
    return;
  }
  const index = readFileSync(indexFile, 'utf8').replace(
    '<head>',
    // <base> makes the build's relative asset URLs (./assets/…) resolve under the base path from any
    // client route, including the bare base path without a trailing slash
    `<head><base href="${basepath}/"><meta name="falconer-base" content="${basepath}">`,
  );
  const sendIndex = (_req: unknown, reply: FastifyReply): FastifyReply =>
    reply.headers(securityHeaders).type('text/html; charset=utf-8').send(index);
  await fastify.register(fastifyStatic, {
    // @fastify/static refuses a relative root; the default dir is relative to the working directory
    root: resolve(dir),
    prefix: basepath + '/',
    index: false,
    wildcard: false,
    setHeaders: (reply) => {
      void reply.headers(securityHeaders);
    },
  });
  fastify.get(basepath, sendIndex);
  fastify.get(basepath + '/', sendIndex);
  // SPA routes (no file extension) → index.html
  fastify.get(basepath + '/*', (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (/\.[a-z0-9]+$/i.test(path))
      return reply.code(404).type('application/json').send('{"error":"not_found","message":"no such file"}');
    return sendIndex(req, reply);
  });
}
