import { randomUUID } from 'node:crypto';

/** A Falco event body with a uuid chosen by the test, so arrivals can be counted by uuid. */
export function falcoEvent(n: number, uuid: string = randomUUID()): { uuid: string; body: string } {
  const body = JSON.stringify({
    uuid,
    output: `12:00:00.000000000: Warning Shell spawned in a container (n=${n})`,
    priority: 'Warning',
    rule: 'Terminal shell in container',
    time: new Date().toISOString(),
    source: 'syscalls',
    hostname: 'node-1',
    tags: ['container', 'shell'],
    output_fields: { 'proc.name': 'bash', 'k8s.pod.name': `web-${n % 7}`, 'evt.num': n },
  });
  return { uuid, body };
}

/** The uuids in a webhook request body (one event, or an array when batched). */
export function uuidsIn(text: string): string[] {
  const body = JSON.parse(text) as { uuid: string } | { uuid: string }[];
  return Array.isArray(body) ? body.map((e) => e.uuid) : [body.uuid];
}
