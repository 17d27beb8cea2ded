// Ingest throughput: Falconer's `POST /` against a bare Node.js server that only parses the JSON,
// measured alternately in one run with the same load generator (autocannon), at 50 and 1 connections.
// Usage: npm run build && node bench/ingest.mjs [seconds-per-round]
import { NODE_FLAGS } from '../tools/runtime-flags.mjs';
import {
  fmt,
  freePort,
  load,
  loadTool,
  median,
  pairRatios,
  rounds,
  startNode,
  waitHttp,
  SAMPLE_BODY,
} from './lib.mjs';

const seconds = Number(process.argv[2] ?? 8);
const body = SAMPLE_BODY;

const barePort = await freePort();
const routerPort = await freePort();
const bare = startNode(['bench/bare-server.mjs', String(barePort)]);
// Falconer as it ships: `npm start` runs it with these flags
const router = startNode([...NODE_FLAGS, 'dist/apps/router/main.js'], {
  LISTENPORT: String(routerPort),
  LISTENADDRESS: '127.0.0.1',
});
try {
  await waitHttp(`http://127.0.0.1:${barePort}/`);
  await waitHttp(`http://127.0.0.1:${routerPort}/healthz`);
  // warm up both (JIT); Falconer until its history holds store.maxevents (100 000) events, so the
  // rounds measure the steady state of a router that has been running, not one whose heap still grows
  await load({ url: `http://127.0.0.1:${barePort}/`, body, connections: 10, duration: 2 });
  await load({ url: `http://127.0.0.1:${routerPort}/`, body, connections: 50, duration: 10 });
  const rows = [];
  for (const connections of [50, 1]) {
    const r = { connections, bare: [], falconer: [] };
    // alternate so drift on the shared cores hits both sides alike
    for (let round = 0; round < rounds; round++) {
      r.bare.push(await load({ url: `http://127.0.0.1:${barePort}/`, body, connections, duration: seconds }));
      r.falconer.push(
        await load({ url: `http://127.0.0.1:${routerPort}/`, body, connections, duration: seconds }),
      );
    }
    rows.push(r);
  }
  console.log(
    `\nIngest benchmark (${loadTool}, ${rounds} alternating pairs of ${seconds}s rounds, body ${body.length} bytes, ${new Date().toISOString()})`,
  );
  console.log(
    'connections | bare Node req/s (median) | Falconer req/s (median) | ratio (median of pairs) | pair ratios | Falconer p99 ms | non-2xx',
  );
  for (const r of rows) {
    const b = median(r.bare.map((x) => x.rps));
    const f = median(r.falconer.map((x) => x.rps));
    const { ratios, median: ratio } = pairRatios(r.bare, r.falconer);
    const non2xx = r.falconer.reduce((a, x) => a + x.non2xx + x.errors, 0);
    console.log(
      `${String(r.connections).padStart(11)} | ${fmt(b).padStart(24)} | ${fmt(f).padStart(23)} | ${ratio.toFixed(2).padStart(23)} | ${ratios.map((x) => x.toFixed(2)).join(' ')} | ${String(Math.max(...r.falconer.map((x) => x.p99))).padStart(15)} | ${non2xx}`,
    );
  }
} finally {
  bare.kill();
  router.kill();
}
