import { vi } from 'vitest';
import type { OutputInfo } from '@falconer/contracts';

let n = 0;

/** An event's JSON text as the router pushes it (serializeEvent key order, tags/hostname omitempty). */
export function eventJson(
  over: {
    priority?: string;
    rule?: string;
    uuid?: string;
    evtTime?: string;
    ns?: string;
    hostname?: string;
  } = {},
): string {
  n++;
  const uuid = over.uuid ?? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const ns = over.ns === undefined ? '' : `,"k8s.ns.name":"${over.ns}","k8s.pod.name":"web-${n}"`;
  const host = over.hostname === undefined ? '' : `,"hostname":"${over.hostname}"`;
  return (
    `{"uuid":"${uuid}","output":"16:31:56.746609046: ${over.priority ?? 'Error'} event ${n}","priority":"${over.priority ?? 'Error'}",` +
    `"rule":"${over.rule ?? 'Write below binary dir'}","time":"2026-11-22T10:00:00.000000001Z",` +
    `"output_fields":{"evt.time":${over.evtTime ?? '1507591916746609046'},"fd.name":"/bin/hack"${ns}},"source":"syscall"${host}}`
  );
}

export interface FetchCall {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** Replaces fetch with answers by path (JSON text, so big numbers stay as written). */
export function stubFetch(
  routes: Record<
    string,
    { status?: number; text: string } | ((url: URL) => { status?: number; text: string })
  >,
): FetchCall[] {
  const calls: FetchCall[] = [];
  vi.stubGlobal('fetch', (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://dashboard.test');
    calls.push({
      url: url.pathname + url.search,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: init?.body as string | undefined,
    });
    const route = routes[url.pathname];
    const answer = typeof route === 'function' ? route(url) : route;
    if (answer === undefined)
      return Promise.resolve(new Response('{"error":"not_found","message":"no route"}', { status: 404 }));
    return Promise.resolve(
      new Response(answer.text, {
        status: answer.status ?? 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
  });
  return calls;
}

/** A healthy output instance as `GET /api/v1/outputs/status` lists it; override what the test is about. */
export function outputInfo(name: string, over: Partial<OutputInfo> = {}): OutputInfo {
  return {
    name,
    type: 'webhook',
    enabled: true,
    filter: 'every event',
    health: 'ok',
    circuit: 'closed',
    queueDepth: 0,
    oldestQueuedAgeMs: 0,
    counters: { matched: 0, sent: 0, retried: 0, deadLettered: 0, failed: {} },
    ...over,
  };
}
