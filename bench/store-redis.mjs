// History store on Redis at scale: loads 1 000 000 events (a week of a busy cluster) into a dedicated Redis
// database under a unique prefix, times typical dashboard queries (p50/p95), reports Redis memory per event,
// and deletes everything it wrote. Usage: node bench/store-redis.mjs [events] [redis-url]
// Builds libs/store with esbuild first (tsx is not installed); needs Redis at 127.0.0.1:6379.
import { loadTs } from './lib.mjs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const N = Number(process.argv[2] ?? 1_000_000);
const URL_ = process.argv[3] ?? 'redis://127.0.0.1:6379/15';
const RUNS = 30;
const DAY = 86_400_000;

// one bundle, so the events' LosslessNumber is the class the store's serializer knows
const { RedisEventStore, LosslessNumber, serializeEvent } = await loadTs(
  'store',
  "export * from './libs/store/src/index.ts'; export { LosslessNumber } from './libs/contracts/src/index.ts'; export { serializeEvent } from './libs/falco/src/index.ts';",
);

// deterministic data: the same million events on every run
let seed = 42;
const rnd = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
/** Skewed choice: a few values are very common, most are rare (rules, namespaces in real clusters). */
const skewed = (arr) => arr[Math.floor(arr.length * rnd() ** 3)];
const PRIORITIES = [
  ['Notice', 0.4],
  ['Warning', 0.25],
  ['Informational', 0.15],
  ['Error', 0.1],
  ['Critical', 0.05],
  ['Debug', 0.04],
  ['Alert', 0.007],
  ['Emergency', 0.003],
];
const priority = () => {
  let r = rnd();
  for (const [p, w] of PRIORITIES) if ((r -= w) < 0) return p;
  return 'Notice';
};
const RULES = Array.from(
  { length: 80 },
  (_, i) =>
    `Rule ${String(i).padStart(2, '0')} ${pick(['Terminal shell in container', 'Write below etc', 'Read sensitive file', 'Contact K8S API server', 'Outbound connection'])}`,
);
const NAMESPACES = Array.from({ length: 60 }, (_, i) => `team-${i}`);
const HOSTS = Array.from(
  { length: 200 },
  (_, i) => `ip-10-0-${Math.floor(i / 50)}-${i % 50}.eu-west-1.compute.internal`,
);
const TAGS = [
  'container',
  'shell',
  'mitre_execution',
  'mitre_persistence',
  'filesystem',
  'network',
  'process',
  'k8s',
  'T1059',
  'T1611',
  'T1552',
  'users',
  'host',
  'cis',
  'pci_dss',
  'nist_800-53',
];
const WORDS = ['bash', 'nginx', 'curl', 'python3', 'java', 'node', 'sh', 'kubectl', 'psql', 'redis-server'];
const now = Date.now();

function event(i) {
  const t = now - Math.floor(rnd() * 7 * DAY);
  const ns = skewed(NAMESPACES);
  const proc = pick(WORDS);
  const rule = skewed(RULES);
  const p = priority();
  const pod = `${ns}-deploy-${Math.floor(rnd() * 1e6).toString(36)}`;
  const tags = [...new Set([pick(TAGS), pick(TAGS), pick(TAGS)])].sort();
  const iso = new Date(t).toISOString().replace(/Z$/, '123456Z');
  const nanos = `${t}${String(123_456 + (i % 1000)).padStart(6, '0')}`;
  const fields = Object.assign(Object.create(null), {
    'container.id': Math.floor(rnd() * 2 ** 48)
      .toString(16)
      .padStart(12, '0'),
    'container.image.repository': `registry.example.com/${ns}/${proc}`,
    'evt.time': new LosslessNumber(nanos),
    'k8s.ns.name': ns,
    'k8s.pod.name': pod,
    'proc.cmdline': `${proc} -c id-${i % 997}`,
    'proc.name': proc,
    'proc.pid': 1000 + (i % 30000),
    'user.name': pick(['root', 'www-data', 'app']),
    'user.uid': 0,
  });
  return {
    uuid: `${(0x10000000 + i).toString(16)}-0000-4000-8000-${String(i).padStart(12, '0')}`,
    output: `${iso.slice(11, 29)}: ${p} ${rule} (user=${fields['user.name']} command=${fields['proc.cmdline']} container_id=${fields['container.id']} k8s.ns=${ns} k8s.pod=${pod})`,
    priority: p,
    rule,
    time: iso,
    output_fields: fields,
    source: 'syscall',
    tags,
    hostname: pick(HOSTS),
  };
}

const prefix = `falconer-bench:${process.pid}:`;
const store = await RedisEventStore.connect({
  url: URL_,
  prefix,
  maxEvents: N * 2,
  ttlMs: 8 * DAY,
  trimIntervalMs: 0,
});
// an interrupted run still removes what it wrote
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    console.log(`\n${sig}: removing the benchmark keys…`);
    store.purge().finally(() => process.exit(130));
  });
}
const info = async () => {
  const text = await store.client.info('memory');
  return Number(/used_memory:(\d+)/.exec(text)[1]);
};
const ms = (x) => `${x.toFixed(1)} ms`;

try {
  const mem0 = await info();
  const t0 = performance.now();
  const BATCH = 2000;
  let jsonBytes = 0;
  let genMs = 0;
  for (let i = 0; i < N; i += BATCH) {
    const batch = [];
    const g = performance.now();
    for (let j = i; j < Math.min(N, i + BATCH); j++) batch.push(event(j));
    genMs += performance.now() - g;
    if (i === 0)
      jsonBytes = batch.reduce((n, e) => n + Buffer.byteLength(serializeEvent(e)), 0) / batch.length;
    await store.recordMany(batch);
    if (i % 200_000 === 0 && i > 0) console.log(`  loaded ${i.toLocaleString('en-US')} events…`);
  }
  const loadS = (performance.now() - t0) / 1000;
  const mem1 = await info();
  console.log(
    `loaded ${N.toLocaleString('en-US')} events in ${loadS.toFixed(1)} s (${Math.round(N / loadS).toLocaleString('en-US')} events/s; ` +
      `pipelines of ${BATCH} script calls; generating the test events took ${(genMs / 1000).toFixed(1)} s of it)`,
  );
  console.log(
    `Redis used_memory: +${((mem1 - mem0) / 2 ** 20).toFixed(0)} MiB = ${Math.round((mem1 - mem0) / N)} bytes per event (event JSON ≈ ${Math.round(jsonBytes)} bytes)`,
  );

  const topRule = RULES[0];
  const rareRule = RULES[RULES.length - 1];
  const queries = [
    [
      'last hour, priority=Critical (search page 1)',
      () => store.search({ priority: ['Critical'], since: '1h' }, { page: 1, limit: 100 }),
    ],
    [
      'last hour, priority=Critical,Error,Warning',
      () => store.search({ priority: ['Critical,Error,Warning'], since: '1h' }, { page: 1, limit: 100 }),
    ],
    ['last hour, count by priority', () => store.countBy('priority', { since: '1h' })],
    [
      'one rule (busiest), whole week, page 1',
      () => store.search({ rule: [topRule] }, { page: 1, limit: 100 }),
    ],
    [
      'one rule (rare), whole week, page 5',
      () => store.search({ rule: [rareRule] }, { page: 5, limit: 100 }),
    ],
    [
      'one namespace, whole week, page 1',
      () => store.search({ namespace: ['team-0'] }, { page: 1, limit: 100 }),
    ],
    [
      'namespace + priority=Error, last 24h',
      () =>
        store.search({ namespace: ['team-3'], priority: ['Error'], since: '24h' }, { page: 1, limit: 100 }),
    ],
    [
      'tags=shell,T1611 (OR), last hour',
      () => store.search({ tags: ['shell,T1611'], since: '1h' }, { page: 1, limit: 100 }),
    ],
    ['whole week, no filter, page 1 + total', () => store.search({}, { page: 1, limit: 100 })],
    ['count by rule, last 24h', () => store.countBy('rule', { since: '24h' })],
    ['histogram last 24h per hour', () => store.histogram({ since: '24h' }, 3_600_000)],
    [
      'free text "kubectl", last hour',
      () => store.search({ filter: 'kubectl', since: '1h' }, { page: 1, limit: 100 }),
    ],
    [
      'free text "id-42 " + priority=Critical, last 24h',
      () => store.search({ filter: 'id-42 ', priority: ['Critical'], since: '24h' }, { page: 1, limit: 100 }),
    ],
    [
      'free text "kubectl", last 24h',
      () => store.search({ filter: 'kubectl', since: '24h' }, { page: 1, limit: 100 }),
    ],
  ];
  console.log(
    `load average before the queries: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores, shared with other work)`,
  );
  console.log(
    `\n${'query'.padEnd(50)} ${'matches'.padStart(9)} ${'p50'.padStart(10)} ${'p95'.padStart(10)}   (${RUNS} runs each)`,
  );
  for (const [name, q] of queries) {
    const times = [];
    let matches = 0;
    const runs = name.includes('24h') && name.includes('free text') ? 10 : RUNS;
    for (let r = 0; r < runs; r++) {
      const s = performance.now();
      const out = await q();
      times.push(performance.now() - s);
      matches =
        typeof out.total === 'number'
          ? out.total
          : Array.isArray(out.buckets)
            ? out.buckets.length
            : Object.keys(out).length;
    }
    times.sort((a, b) => a - b);
    const p = (f) => times[Math.min(times.length - 1, Math.ceil(f * times.length) - 1)];
    console.log(
      `${name.padEnd(50)} ${String(matches).padStart(9)} ${ms(p(0.5)).padStart(10)} ${ms(p(0.95)).padStart(10)}`,
    );
  }
} finally {
  const t = performance.now();
  const removed = await store.purge();
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `\ncleaned up ${removed.toLocaleString('en-US')} keys in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  await store.close();
}
