import pino from 'pino';
import { loadRouterConfig } from '@falconer/outputs-registry';
import { createRouterApp, type RouterApp, type RouterAppOptions } from '../app';

export interface Harness {
  router: RouterApp;
  url: string;
  close(): Promise<void>;
}

/** Environment of a router without the dashboard (API-only specs). */
export const NO_UI: Readonly<Record<string, string>> = { UI_ENABLED: 'false' };

/**
 * The one way to start a router in a unit or API spec: the real router (Nest + Fastify + socket.io),
 * in this process, on a free port, configured like a user would (environment and YAML). `beforeListen`
 * runs once the app is built and before it listens (e.g. to register one more route). e2e specs start
 * the built one with `launchRouter` (e2e/src/support/router-process.ts).
 */
export async function startRouter(
  env: Record<string, string> = {},
  yaml?: string,
  options: RouterAppOptions = {},
  beforeListen?: (router: RouterApp) => void,
): Promise<Harness> {
  const { config } = loadRouterConfig({
    env: { LISTENPORT: '0', LISTENADDRESS: '127.0.0.1', ...env },
    ...(yaml !== undefined ? { yaml } : {}),
  });
  const router = await createRouterApp(config, { logger: pino({ level: 'silent' }), ...options });
  beforeListen?.(router);
  const url = await router.listen();
  return { router, url, close: () => router.close(2000) };
}

/** `Authorization: Basic` for a dashboard user. */
export const basicAuth = (user: string, password: string): string =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

/** One API call as a signed-in user: status and the JSON body (`{}` when the answer has none). */
export async function apiCall(
  h: Harness,
  method: string,
  path: string,
  auth: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(h.url + path, {
    method,
    headers: { authorization: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
