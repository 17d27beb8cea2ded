// falcosidekick-ui's Export asks `GET /api/v1/events/search?page=0&limit=10000` (or more): a page over 1 000
// events is streamed from the store's cursor (ADR 0006). This measures the router's heap while such a page
// is downloaded, next to the NDJSON export (streamed the same way) and the size of the answer, which a
// page built in memory would have held at least once as a string.
// `node bench/search-stream.mjs` (after `npm run build`); BENCH_EVENTS sets the history size (40 000).
import { freePort, startNode, waitHttp } from './lib.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 40_000);
const BATCH = 5_000;
const MB = 1024 * 1024;

function event(i) {
  const t = new Date(Date.now() - i * 1000).toISOString();
  return JSON.stringify({
    output: `12:00:00.000000000: Warning shell ${i} in container (user=root command=bash -c id)`,
    priority: ['Critical', 'Warning', 'Notice'][i % 3],
    rule: ['Terminal shell in container', 'Read sensitive file untrusted'][i % 2],
    time: t,
    source: 'syscall',
    hostname: `worker-${i % 5}`,
    tags: ['container', 'shell', 'mitre_execution'],
    output_fields: {
      'container.id': (i % 97).toString(16).padStart(12, 'a'),
      'k8s.ns.name': 'shop',
      'k8s.pod.name': `web-${i % 50}`,
      'proc.cmdline': 'bash -c id',
      'proc.name': 'bash',
      'user.name': 'root',
      'evt.time': Number((BigInt(Date.now()) * 1_000_000n) % 9_007_199_254_740_991n),
    },
  });
}

async function heapUsed(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  return m ? Number(m[1]) : NaN;
}

/** Downloads `path` while sampling the router's heap; returns bytes received and the highest heap seen. */
async function download(url, path) {
  let peak = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, await heapUsed(url));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const res = await fetch(`${url}${path}`);
  let bytes = 0;
  for await (const chunk of res.body) bytes += chunk.length;
  done = true;
  await sampler;
  return { bytes, peak, chunked: res.headers.get('transfer-encoding') === 'chunked' };
}

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const router = startNode(['dist/apps/router/main.js'], {
  LISTENADDRESS: '127.0.0.1',
  LISTENPORT: String(port),
  UI_ENABLED: 'false',
  STORE_TTL: '0',
  STORE_MAXEVENTS: String(EVENTS),
  REDIS_URL: '',
});
try {
  await waitHttp(`${url}/healthz`);
  for (let i = 0; i < EVENTS; i += BATCH) {
    const lines = [];
    for (let j = i; j < Math.min(EVENTS, i + BATCH); j++) lines.push(event(j));
    const res = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines.join('\n'),
    });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  }
  // settle: a few scrapes apart, the lowest is the baseline
  let base = Infinity;
  for (let i = 0; i < 5; i++) {
    base = Math.min(base, await heapUsed(url));
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`history: ${EVENTS} events; router heap at rest ${(base / MB).toFixed(1)} MB`);
  const rows = [
    [
      'search page=0&limit=' + EVENTS + ' (falcosidekick-ui Export)',
      `/api/v1/events/search?page=0&limit=${EVENTS}`,
    ],
    ['export NDJSON', '/api/v1/events/export'],
    ['search page=0&limit=' + EVENTS + ' (again)', `/api/v1/events/search?page=0&limit=${EVENTS}`],
  ];
  for (const [name, path] of rows) {
    const r = await download(url, path);
    console.log(
      `${name}: ${(r.bytes / MB).toFixed(1)} MB answered${r.chunked ? ' (chunked)' : ''}, ` +
        `heap peak +${((r.peak - base) / MB).toFixed(1)} MB over rest`,
    );
  }
} finally {
  router.kill('SIGTERM');
}
