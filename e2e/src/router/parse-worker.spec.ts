import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT, routerWithReceiver, startRouter } from '../support/router-process';

const PARSE_WORKER = resolve(REPO_ROOT, 'dist/apps/router/parse-worker.js');

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
    const router = await startRouter({ INGEST_PARSEWORKER: 'false' });
    try {
      const answers = await burst(router.url, 400);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(360);
      expect(await metric(router.url, 'falconer_ingest_parsed_off_main_total')).toBe(0);
    } finally {
      await router.stop();
    }
  });
});

/**
 * The built parse worker in a Node process with the router's flags, fed as ParsePool feeds it under many
 * connections (64 messages of 4 bodies in flight), telling the size of its young generation (v8 is per
 * isolate: asked inside the worker, on a second port) at start, after the burst, and as it rests.
 */
const REST_HARNESS = `
import { MessageChannel, Worker } from 'node:worker_threads';
const [file, total] = [process.argv[1], Number(process.argv[2])];
const stats = new MessageChannel();
const worker = new Worker(
  "import v8 from 'node:v8'; import { workerData } from 'node:worker_threads'; await import(" +
    JSON.stringify(file) +
    "); workerData.stats.on('message', () => workerData.stats.postMessage(" +
    "v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));",
  {
    eval: true,
    workerData: { limits: { maxOutputFields: 1000, maxStringLength: 65536, maxDepth: 16 }, stats: stats.port2 },
    transferList: [stats.port2],
  },
);
const newSpace = () => new Promise((resolve) => { stats.port1.once('message', resolve); stats.port1.postMessage(0); });
const body = (i) => JSON.stringify({ output: 'shell ' + i + ' ' + 'x'.repeat(600), priority: 'Warning',
  rule: 'Terminal shell in container', time: '2026-11-20T10:15:02.482910331Z',
  output_fields: { 'test.seq': i, 'proc.name': 'bash', 'container.id': 'c' + i } });
const initial = await newSpace();
let sent = 0, answered = 0;
await new Promise((resolve, reject) => {
  const send = () => {
    const batch = [];
    for (; batch.length < 4 && sent < total; sent++) batch.push({ id: sent + 1, body: body(sent) });
    worker.postMessage(batch);
  };
  worker.on('error', reject);
  worker.on('message', (replies) => { answered += replies.length; if (sent < total) send(); else if (answered === total) resolve(); });
  for (let k = 0; k < 64; k++) send();
});
const busy = await newSpace();
let rest = busy;
for (let t = 0; t < 60 && rest > initial; t++) { await new Promise((r) => setTimeout(r, 250)); rest = await newSpace(); }
console.log(JSON.stringify({ initial, busy, rest }));
await worker.terminate();
`;

describe('the parse worker at rest (issue 13)', () => {
  it('gives back the young generation a burst made it take, once idle', async () => {
    assertBuilt(PARSE_WORKER);
    const { NODE_FLAGS } = (await import(resolve(REPO_ROOT, 'tools/runtime-flags.mjs'))) as {
      NODE_FLAGS: string[];
    };
    const run = spawnSync(
      process.execPath,
      [...NODE_FLAGS, '--input-type=module', '-e', REST_HARNESS, PARSE_WORKER, '400000'],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const { initial, busy, rest } = JSON.parse(run.stdout) as {
      initial: number;
      busy: number;
      rest: number;
    };
    console.log(
      `parse worker young generation: ${initial} bytes at start, ${busy} after the burst, ${rest} at rest`,
    );
    // the burst grew it (else this test would prove nothing); two seconds without a body, it is back
    expect(busy).toBeGreaterThan(initial);
    expect(rest).toBeLessThanOrEqual(initial);
  });
});
