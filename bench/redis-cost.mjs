// Redis cost per event in Redis mode (capacity model, docs/scaling.md): commands, round trips (calls) and
// memory per accepted event, for ingest alone and ingest + one webhook output. Counts, not timings: a
// private redis-server on a free port, one built router, N events posted one by one.
// Usage: node bench/redis-cost.mjs [events]   (default 5000)
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { freePort, redisCalls, redisInfo, startNode, waitHttp } from './lib.mjs';

const N = Number(process.argv[2] ?? 5000);
const info = redisInfo;
const calls = redisCalls;

function event(i) {
  return JSON.stringify({
    uuid: randomUUID(),
    output: `12:00:00.000000000: Warning Shell spawned in a container (n=${i})`,
    priority: 'Warning',
    rule: 'Terminal shell in container',
    time: new Date().toISOString(),
    source: 'syscall',
    hostname: `node-${i % 10}`,
    tags: ['container', 'shell', 'mitre_execution'],
    output_fields: {
      'container.id': 'a1b2c3d4e5f6',
      'container.name': `web-${i % 50}`,
      'k8s.ns.name': `ns-${i % 5}`,
      'k8s.pod.name': `web-${i % 50}-7d9f`,
      'proc.cmdline': 'bash -i',
      'proc.name': 'bash',
      'user.name': 'root',
      'evt.time': 1732950000000000000 + i,
    },
  });
}

async function measure(withOutput) {
  const rport = await freePort();
  const redis = spawn(
    'redis-server',
    ['--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await new Promise((r) => setTimeout(r, 300));
  let delivered = 0;
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      delivered++;
      res.end('ok');
    });
  });
  await new Promise((r) => sink.listen(0, '127.0.0.1', r));
  const port = await freePort();
  const router = startNode(['dist/apps/router/main.js'], {
    LISTENADDRESS: '127.0.0.1',
    LISTENPORT: String(port),
    UI_ENABLED: 'false',
    REDIS_URL: `redis://127.0.0.1:${rport}/0`,
    ...(withOutput ? { WEBHOOK_ADDRESS: `http://127.0.0.1:${sink.address().port}/` } : {}),
  });
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`);
    // warm-up, then the measured run
    for (let i = 0; i < 200; i++) await post(port, event(i));
    while (withOutput && delivered < 200) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const mem0 = Number(info(rport, 'memory').used_memory);
    const calls0 = calls(rport);
    for (let i = 0; i < N; i++) await post(port, event(i));
    while (withOutput && delivered < 200 + N) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const callsPerEvent = (calls(rport) - calls0) / N;
    const bytesPerEvent = (Number(info(rport, 'memory').used_memory) - mem0) / N;
    return { callsPerEvent, bytesPerEvent };
  } finally {
    router.kill('SIGTERM');
    await new Promise((r) => router.once('exit', r));
    redis.kill('SIGKILL');
    sink.close();
  }
}

async function post(port, body) {
  const r = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`ingest answered ${r.status}`);
}

for (const withOutput of [false, true]) {
  const { callsPerEvent, bytesPerEvent } = await measure(withOutput);
  console.log(
    `${withOutput ? 'ingest + webhook' : 'ingest alone    '}: ${callsPerEvent.toFixed(1)} Redis commands per event (INFO commandstats calls, idle polling included), ${Math.round(bytesPerEvent)} bytes of Redis memory per event held in history`,
  );
}
