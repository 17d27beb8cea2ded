// Delivery throughput (spec/delivery.md targets):
//  1. ingest + a batched webhook output vs a bare Node.js server that only parses JSON, measured
//     alternately in one run with the same load generator (target ratio ≥ 0.5);
//  2. delivered events/s to a destination that answers after 50 ms (target ≥ 1 000/s).
// Usage: node tools/build-node.mjs apps/router/src/main.ts dist/apps/router && node bench/delivery.mjs [seconds-per-round]
import { NODE_FLAGS } from '../tools/runtime-flags.mjs';
import {
  batchedWebhookConfig,
  fmt,
  freePort,
  load,
  loadTool,
  pairRatios,
  rounds,
  startNode,
  waitHttp,
  SAMPLE_BODY,
} from './lib.mjs';

const seconds = Number(process.argv[2] ?? 5);
const body = SAMPLE_BODY;
const children = [];

function routerWith(webhookUrl, port) {
  const file = batchedWebhookConfig(webhookUrl);
  const child = startNode([...NODE_FLAGS, 'dist/apps/router/main.js', '--config', file], {
    LISTENPORT: String(port),
    LISTENADDRESS: '127.0.0.1',
    UI_ENABLED: 'false',
  });
  children.push(child);
  return child;
}

async function metric(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name}\\{output="soc",type="webhook"\\} ([\\d.e+]+)$`, 'm').exec(text);
  return Number(m?.[1] ?? 0);
}

async function sinkStats(port) {
  return (await fetch(`http://127.0.0.1:${port}/stats`)).json();
}

try {
  // 1. ingest + batched webhook vs bare Node
  const [barePort, sinkPort, routerPort] = [await freePort(), await freePort(), await freePort()];
  children.push(startNode(['bench/bare-server.mjs', String(barePort)]));
  children.push(startNode(['bench/delivery-sink.mjs', String(sinkPort), '0']));
  routerWith(`http://127.0.0.1:${sinkPort}/`, routerPort);
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  const routerUrl = `http://127.0.0.1:${routerPort}`;
  await waitHttp(bareUrl);
  await waitHttp(`http://127.0.0.1:${sinkPort}/`);
  await waitHttp(`${routerUrl}/healthz`);
  // warm up both (JIT); Falconer until its history is full (steady state, as in bench/ingest.mjs)
  await load({ url: bareUrl, body, connections: 10, duration: 2 });
  await load({ url: `${routerUrl}/`, body, connections: 50, duration: 12 });
  const bare = [];
  const falconer = [];
  for (let round = 0; round < rounds; round++) {
    bare.push(await load({ url: bareUrl, body, connections: 50, duration: seconds }));
    falconer.push(await load({ url: `${routerUrl}/`, body, connections: 50, duration: seconds }));
  }
  // let the queue drain, then check nothing was lost on the way
  const ingested = await metric(routerUrl, 'falconer_delivery_matched_total');
  const drainStart = Date.now();
  while (
    (await metric(routerUrl, 'falconer_delivery_sent_total')) < ingested &&
    Date.now() - drainStart < 15_000
  )
    await new Promise((r) => setTimeout(r, 200));
  const sent = await metric(routerUrl, 'falconer_delivery_sent_total');
  const sink1 = await sinkStats(sinkPort);
  const { ratios, median: ratio } = pairRatios(bare, falconer);
  const non2xx = falconer.reduce((a, x) => a + x.non2xx + x.errors, 0);

  // 2. a destination that answers after 50 ms
  const slowPort = await freePort();
  const router2Port = await freePort();
  children.push(startNode(['bench/delivery-sink.mjs', String(slowPort), '50']));
  routerWith(`http://127.0.0.1:${slowPort}/`, router2Port);
  const router2Url = `http://127.0.0.1:${router2Port}`;
  await waitHttp(`http://127.0.0.1:${slowPort}/`);
  await waitHttp(`${router2Url}/healthz`);
  const feed = await load({ url: `${router2Url}/`, body, connections: 20, duration: seconds });
  const accepted = await metric(router2Url, 'falconer_delivery_matched_total');
  const start2 = Date.now();
  while ((await sinkStats(slowPort)).events < accepted && Date.now() - start2 < 20_000)
    await new Promise((r) => setTimeout(r, 200));
  const sink2 = await sinkStats(slowPort);
  const rate = sink2.events / ((sink2.last - sink2.first) / 1000);

  console.log(
    `\nDelivery benchmark (${loadTool}, ${rounds} alternating pairs of ${seconds}s rounds, 50 connections, body ${body.length} bytes, ${new Date().toISOString()})`,
  );
  console.log(
    '1. ingest + batched webhook output (batchsize 100, flush 100ms) vs bare Node.js parsing JSON, alternately:',
  );
  console.log(
    `   bare Node req/s ${bare.map((x) => fmt(x.rps)).join(', ')} | Falconer req/s ${falconer.map((x) => fmt(x.rps)).join(', ')}`,
  );
  console.log(
    `   ratio ${ratio.toFixed(2)} (median of the pairs ${ratios.map((x) => x.toFixed(2)).join(' ')}; target ≥ 0.5); Falconer non-2xx/errors ${non2xx}; p99 ${Math.max(...falconer.map((x) => x.p99))} ms`,
  );
  console.log(
    `   queued ${fmt(ingested)} events, delivered ${fmt(sent)} (sink got ${fmt(sink1.events)} in ${fmt(sink1.requests)} requests)`,
  );
  console.log('2. destination answering after 50 ms (batchsize 100, concurrency 4):');
  console.log(
    `   fed ${fmt(feed.rps)} req/s for ${seconds}s; ${fmt(sink2.events)} of ${fmt(accepted)} events delivered in ${fmt(sink2.requests)} requests`,
  );
  console.log(`   delivered ${fmt(rate)} events/s (target ≥ 1 000/s)`);
} finally {
  for (const c of children) c.kill();
}
