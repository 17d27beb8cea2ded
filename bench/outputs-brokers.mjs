// Broker outputs' sustained delivery rate (issue 17 target: ≥ 10 000 events/s each for NATS, MQTT, Kafka
// and Redis on this 2-core machine). Builds bench/outputs-brokers.run.ts (workspace libs bundled, npm
// packages external) and runs it; bounded: BENCH_BROKER_EVENTS events per output (default 30 000), 20 s
// at most each. Usage: node bench/outputs-brokers.mjs
import { spawnSync } from 'node:child_process';

const out = 'dist/bench/outputs-brokers';
const b = spawnSync(process.execPath, ['tools/build-node.mjs', 'bench/outputs-brokers.run.ts', out], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (b.status !== 0) process.exit(b.status ?? 1);
const r = spawnSync(process.execPath, [`${out}/main.js`], { stdio: 'inherit' });
process.exit(r.status ?? 1);
