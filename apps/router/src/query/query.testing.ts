import { expect } from 'vitest';
import pino from 'pino';
import type { FalconerConfig } from '@falconer/config';
import { loadRouterConfig } from '@falconer/outputs-registry';
import { createRouterApp, type RouterApp } from '../app';

/** Helpers of the query API specs: boot the real router, ingest raw Falco JSON. */
const silent = pino({ level: 'silent' });
const now = Date.now();
/** RFC 3339 with nanoseconds, minutes before the test started. */
export const ago = (minutes: number): string =>
  new Date(now - minutes * 60_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000001Z');

/** Raw Falco JSON, as Falco sends it: the 19-digit number must come back byte for byte. */
export function falcoJson(
  i: number,
  o: {
    priority?: string;
    rule?: string;
    minutes?: number;
    tags?: string[];
    ns?: string;
    host?: string;
    output?: string;
    uuid?: string;
  } = {},
): string {
  const fields = [`"evt.time":1763812800${String(i).padStart(9, '0')}`, `"proc.name":"proc-${i}"`];
  if (o.ns !== undefined) fields.push(`"k8s.ns.name":"${o.ns}"`, `"k8s.pod.name":"pod-${i}"`);
  return (
    `{"uuid":"${o.uuid ?? `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`}","output":${JSON.stringify(o.output ?? `event number ${i}`)},` +
    `"priority":"${o.priority ?? 'Notice'}","rule":"${o.rule ?? 'Rule A'}","time":"${ago(o.minutes ?? i)}",` +
    `"output_fields":{${fields.join(',')}},"source":"syscall","tags":${JSON.stringify(o.tags ?? ['alpha'])},"hostname":"${o.host ?? 'node-1'}"}`
  );
}

/** The real router on an ephemeral port. */
export async function boot(
  env: Record<string, string> = {},
  mutate?: (c: FalconerConfig) => void,
): Promise<{ router: RouterApp; base: string }> {
  const { config } = loadRouterConfig({
    env: { LISTENPORT: '0', LISTENADDRESS: '127.0.0.1', UI_ENABLED: 'false', ...env },
  });
  mutate?.(config);
  const router = await createRouterApp(config, { logger: silent });
  const base = await router.listen();
  return { router, base };
}

export async function ingest(base: string, events: string[]): Promise<void> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `[${events.join(',')}]`,
  });
  expect(res.status).toBe(200);
}
