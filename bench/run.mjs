// `npm run bench`: every benchmark in turn. Each prints its figures and ratios.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// the benchmarks, in order; the other files in bench/ are their helpers (servers, sinks, shared code)
const BENCHMARKS = [
  'ingest.mjs',
  'delivery.mjs',
  'memory.mjs',
  'store-redis.mjs',
  'redis-mode.mjs',
  'search-stream.mjs',
  'outputs-brokers.mjs',
  'routing-filters.mjs',
];
const only = process.argv[2];
const scripts = BENCHMARKS.filter((f) => only === undefined || f.startsWith(only));
if (!existsSync('dist/apps/router/main.js')) spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
for (const s of scripts) {
  console.log(`\n=== bench/${s} ===`);
  const r = spawnSync(process.execPath, [`bench/${s}`], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
