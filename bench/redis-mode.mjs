// Redis mode (docs/scaling.md): ingest alone, and ingest + a batched webhook output, each against a bare
// Node.js server that only parses JSON, measured alternately in one run with the same load generator; plus
// Redis commands and memory per accepted event over the measured rounds (INFO commandstats / INFO memory
// deltas). Each row has its own private redis-server on a free port (nothing shared with other work).
// Usage: npm run build && node bench/redis-mode.mjs [seconds-per-round]
import { spawn } from 'node:child_process';
import { NODE_FLAGS } from '../tools/runtime-flags.mjs';
import {
  batchedWebhookConfig,
  fmt,
  freePort,
  load,
  loadTool,
  median,
  pairRatios,
  redisCalls,
  redisInfo,
  redisUp,
  rounds,
  startNode,
  waitHttp,
  SAMPLE_BODY,
} from './lib.mjs';

const seconds = Number(process.argv[2] ?? 5);
const body = SAMPLE_BODY;
const children = [];

/** Commands executed so far, over all commands (INFO commandstats), and Redis's used memory. */
const redisCounters = (port) => ({
  calls: redisCalls(port),
  memory: Number(redisInfo(port, 'memory').used_memory),
});

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  children.push(child);
  for (let i = 0; i < 100; i++) {
    if (redisUp(port)) return port;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis-server did not start');
}

async function metric(url, re) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(re.exec(text)?.[1] ?? 0);
}
const ACCEPTED =
  /^falcosecurity_falcosidekick_inputs_total\{source="requests",status="accepted"\} ([\d.e+]+)$/m;
const SENT = /^falconer_delivery_sent_total\{output="soc",type="webhook"\} ([\d.e+]+)$/m;

async function row(withWebhook) {
  const redisPort = await startRedis();
  const [barePort, routerPort, sinkPort] = [await freePort(), await freePort(), await freePort()];
  children.push(startNode(['bench/bare-server.mjs', String(barePort)]));
  const args = [...NODE_FLAGS, 'dist/apps/router/main.js'];
  if (withWebhook) {
    children.push(startNode(['bench/delivery-sink.mjs', String(sinkPort), '0']));
    const file = batchedWebhookConfig(`http://127.0.0.1:${sinkPort}/`);
    args.push('--config', file);
  }
  children.push(
    startNode(args, {
      LISTENPORT: String(routerPort),
      LISTENADDRESS: '127.0.0.1',
      UI_ENABLED: 'false',
      REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
      // every measured event stays in history, so memory per event is what one kept event costs
      STORE_MAXEVENTS: '5000000',
    }),
  );
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  const routerUrl = `http://127.0.0.1:${routerPort}`;
  await waitHttp(bareUrl);
  await waitHttp(`${routerUrl}/healthz`);
  if (withWebhook) await waitHttp(`http://127.0.0.1:${sinkPort}/`);
  // warm up both (JIT)
  await load({ url: bareUrl, body, connections: 10, duration: 2 });
  await load({ url: `${routerUrl}/`, body, connections: 50, duration: 4 });
  if (withWebhook) await drain(routerUrl);
  const accepted0 = await metric(routerUrl, ACCEPTED);
  const before = redisCounters(redisPort);
  const bare = [];
  const falconer = [];
  for (let round = 0; round < rounds; round++) {
    bare.push(await load({ url: bareUrl, body, connections: 50, duration: seconds }));
    falconer.push(await load({ url: `${routerUrl}/`, body, connections: 50, duration: seconds }));
  }
  // deliveries of the measured events count too: wait until they are all sent
  if (withWebhook) await drain(routerUrl);
  const accepted = (await metric(routerUrl, ACCEPTED)) - accepted0;
  const after = redisCounters(redisPort);
  return {
    bare,
    falconer,
    accepted,
    commandsPerEvent: (after.calls - before.calls) / accepted,
    bytesPerEvent: (after.memory - before.memory) / accepted,
  };
}

async function drain(routerUrl) {
  const start = Date.now();
  while (Date.now() - start < 60_000) {
    const [accepted, sent] = [await metric(routerUrl, ACCEPTED), await metric(routerUrl, SENT)];
    if (sent >= accepted) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

try {
  const rows = [];
  for (const withWebhook of [false, true]) {
    rows.push({ withWebhook, ...(await row(withWebhook)) });
    for (const c of children.splice(0)) c.kill('SIGKILL');
  }
  console.log(
    `\nRedis-mode benchmark (${loadTool}, ${rounds} alternating pairs of ${seconds}s rounds, 50 connections, body ${body.length} bytes, one private redis-server per row, ${new Date().toISOString()})`,
  );
  console.log(
    'mode                            | bare Node req/s (median) | Falconer req/s (median) | ratio (median of pairs) | pair ratios | Falconer p99 ms | non-2xx | Redis commands/event | Redis bytes/event kept',
  );
  for (const r of rows) {
    const b = median(r.bare.map((x) => x.rps));
    const f = median(r.falconer.map((x) => x.rps));
    const { ratios, median: ratio } = pairRatios(r.bare, r.falconer);
    const non2xx = r.falconer.reduce((a, x) => a + x.non2xx + x.errors, 0);
    const label = r.withWebhook ? 'Redis, ingest + batched webhook' : 'Redis, ingest alone';
    console.log(
      `${label.padEnd(31)} | ${fmt(b).padStart(24)} | ${fmt(f).padStart(23)} | ${ratio.toFixed(2).padStart(23)} | ${ratios.map((x) => x.toFixed(2)).join(' ')} | ${String(Math.max(...r.falconer.map((x) => x.p99))).padStart(15)} | ${String(non2xx).padStart(7)} | ${r.commandsPerEvent.toFixed(1).padStart(20)} | ${fmt(r.bytesPerEvent).padStart(22)}`,
    );
  }
} finally {
  for (const c of children) c.kill('SIGKILL');
}
