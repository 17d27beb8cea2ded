import { randomUUID } from 'node:crypto';
import type { FalcoEvent } from '@falconer/contracts';

/**
 * The one factory for a test alert: Falco's "Terminal shell in container", numbered `n` (in its output
 * text and `evt.num`), timed now, with a fresh uuid unless `over` gives one. Specs that compare exact
 * bytes or need a realistic mix use fixtures instead (`fixture(name)`, outputs-testing's `sampleEvent`,
 * the store scenarios, the dashboard's data set).
 */
export function testEvent(n: number, over: Partial<FalcoEvent> = {}): FalcoEvent {
  return {
    uuid: randomUUID(),
    output: `Terminal shell in container #${n}`,
    priority: 'Warning',
    rule: 'Terminal shell in container',
    time: new Date().toISOString(),
    output_fields: { 'proc.name': 'bash', 'evt.num': n, 'k8s.pod.name': 'web-1' },
    source: 'syscalls',
    tags: ['container', 'shell'],
    hostname: 'node-1',
    ...over,
  };
}

/** `testEvent(n)` as the JSON body Falco posts, with its uuid (to count arrivals by uuid). */
export function testEventBody(n: number, uuid: string = randomUUID()): { uuid: string; body: string } {
  return { uuid, body: JSON.stringify(testEvent(n, { uuid })) };
}
