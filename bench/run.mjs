// `npm run bench`: every benchmark in turn. Each prints its figures and ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const only = process.argv[2];
const scripts = readdirSync('bench')
  .filter((f) => f.endsWith('.mjs') && !['run.mjs', 'lib.mjs', 'bare-server.mjs'].includes(f) && !f.startsWith('_'))
  .filter((f) => only === undefined || f.startsWith(only));
if (!existsSync('dist/apps/router/main.js')) spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
for (const s of scripts) {
  console.log(`\n=== bench/${s} ===`);
  const r = spawnSync(process.execPath, [`bench/${s}`], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
