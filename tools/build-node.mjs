#!/usr/bin/env node
// Bundles a Node app (router, remediator) with esbuild: workspace libs inlined through the tsconfig path
// aliases, npm packages left external. Usage: node tools/build-node.mjs <entry.ts> <outdir>
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('usage: node tools/build-node.mjs <entry.ts> <outdir>');
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: [entry],
  outfile: `${outdir}/main.js`,
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
console.log(`built ${entry} -> ${outdir}/main.js`);
