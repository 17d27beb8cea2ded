#!/usr/bin/env node
// `npm start` / `npm run start:remediator`: builds first when the build is missing or older than the
// sources (so it works right after `npm ci`), then runs the app in this process's place.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from './runtime-flags.mjs';

const app = process.argv[2] ?? 'router';
const artefacts =
  app === 'router'
    ? ['dist/apps/router/main.js', 'dist/apps/router/parse-worker.js', 'dist/apps/dashboard/index.html']
    : [`dist/apps/${app}/main.js`];
const sources = app === 'router' ? ['apps/router', 'apps/dashboard', 'libs'] : [`apps/${app}`, 'libs'];

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = artefacts.every((a) => existsSync(a))
  ? Math.min(...artefacts.map((a) => statSync(a).mtimeMs))
  : 0;
const changed = Math.max(...sources.filter((s) => existsSync(s)).map(newest));
if (built < changed) {
  const targets = app === 'router' ? 'router,dashboard' : app;
  const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', targets, '--skip-nx-cache'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn(process.execPath, [...NODE_FLAGS, `dist/apps/${app}/main.js`, ...process.argv.slice(3)], {
  stdio: 'inherit',
});
// forward stop signals so the app can shut down gracefully (delivery drains in-flight sends)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
// `npm start` may die without passing its signal on (npm → sh → this script): stop the app with it
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 1000).unref();
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
