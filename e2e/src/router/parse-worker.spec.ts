import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { routerWithReceiver, launchRouter } from '../support/router-process';

/**
 * Under concurrent load the built router parses bodies on its parse worker thread (ADR 0005). Whichever
 * thread parsed it, an accepted event is recorded and leaves with its numbers as sent, and a bad body
 * gets the same 400 with its reason.
 */

const CONNECTIONS = 40;
const REQUESTS = 2_000;

interface Answer {
  status: number;
  text: string;
}

/** A 19-digit number, unique per request (a float would round it). */
const exact = (i: number): string => `17951769024${String(10_000_000 + i)}`;

function body(i: number): string {
  const invalid = i % 10 === 9;
  return JSON.stringify({
    output: `shell ${i}`,
    priority: invalid ? 'urgent' : 'Warning',
    rule: 'Terminal shell in container',
    time: '2026-11-20T10:15:02.482910331Z',
    output_fields: { 'test.seq': i, 'evt.rawtime': 0, 'proc.name': 'bash' },
  }).replace('"evt.rawtime":0', `"evt.rawtime":${exact(i)}`);
}

/** Many keep-alive connections posting at once, as several Falco instances under a flood would. */
async function burst(url: string, n: number): Promise<Answer[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const post = (i: number): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request(`${url}/`, { method: 'POST', agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body(i));
    });
  try {
    return await Promise.all(Array.from({ length: n }, (_, i) => post(i)));
  } finally {
    agent.destroy();
  }
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('ingest under concurrent load (parse worker)', () => {
  const h = routerWithReceiver();

  it('answers every request as if parsed on the spot, and delivers every accepted event exactly', async () => {
    const answers = await burst(h.router.url, REQUESTS);
    const valid = answers.filter((_, i) => i % 10 !== 9);
    expect(valid.every((a) => a.status === 200)).toBe(true);
    answers.forEach((a, i) => {
      if (i % 10 !== 9) return;
      expect(a.status).toBe(400);
      expect(JSON.parse(a.text)).toMatchObject({ error: 'invalid_event', field: 'priority' });
    });

    const offloaded = await metric(h.router.url, 'falconer_ingest_parsed_off_main_total');
    console.log(`parse worker: ${offloaded} of ${REQUESTS} bodies parsed off the main thread`);
    if (availableParallelism() > 1) expect(offloaded).toBeGreaterThan(0);
    else console.warn('one CPU: the router keeps parsing on its main thread (no worker to check)');

    await h.receiver.waitFor(valid.length, 30_000);
    const seen = new Map<number, string>();
    for (const r of h.receiver.requests) {
      const seq = Number(/"test\.seq":(\d+)/.exec(r.text)?.[1]);
      seen.set(seq, /"evt\.rawtime":(\d+)/.exec(r.text)?.[1] ?? '');
    }
    expect(seen.size).toBe(valid.length);
    for (const [seq, raw] of seen) expect(raw, `event ${seq}`).toBe(exact(seq));
    expect(
      await metric(
        h.router.url,
        'falcosecurity_falcosidekick_inputs_total{source="requests",status="accepted"}',
      ),
    ).toBe(valid.length);
  });
});

describe('ingest.parseworker: false', () => {
  it('keeps every parse on the main thread', async () => {
    const router = await launchRouter({ env: { INGEST_PARSEWORKER: 'false' } });
    try {
      const answers = await burst(router.url, 400);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(360);
      expect(await metric(router.url, 'falconer_ingest_parsed_off_main_total')).toBe(0);
    } finally {
      await router.stop();
    }
  });
});
