import { expect } from 'vitest';

/** Helpers of the query API specs: raw Falco JSON, ingested in one batch (start the router with `startRouter`). */
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

export async function ingest(base: string, events: string[]): Promise<void> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `[${events.join(',')}]`,
  });
  expect(res.status).toBe(200);
}
