#!/usr/bin/env node
// Bundles a Node app (router, remediator) with esbuild: workspace libs inlined through the tsconfig path
// aliases, npm packages left external. Usage: node tools/build-node.mjs <entry.ts> <outdir> [<worker.ts>...]
// (each extra entry, a worker thread's, becomes <outdir>/<its base name>.js)
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [entry, outdir, ...workers] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('usage: node tools/build-node.mjs <entry.ts> <outdir>');
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const entryPoints = { main: entry };
for (const w of workers) entryPoints[basename(w).replace(/\.ts$/, '')] = w;

await build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  tsconfig: 'tsconfig.base.json',
  define: { FALCONER_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
console.log(`built ${[entry, ...workers].join(', ')} -> ${outdir}`);
