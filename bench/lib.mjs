// Shared helpers for the benchmarks: start processes, wait for health, run autocannon.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { createRequire } from 'node:module';

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function waitHttp(url, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export function startNode(args, env = {}) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));
export const loadTool = WRK ? 'wrk' : 'autocannon';

/** wrk (C, cheap on the shared cores) when installed, else autocannon. */
export async function load({
  url,
  body,
  connections,
  duration,
  method = 'POST',
  headers = { 'content-type': 'application/json' },
}) {
  if (WRK) return loadWrk({ url, body, connections, duration, method, headers });
  const result = await autocannon({ url, method, body, headers, connections, duration, pipelining: 1 });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US');

function loadWrk({ url, body, connections, duration, method, headers }) {
  const dir = mkdtempSync(join(tmpdir(), 'falconer-bench-'));
  const script = join(dir, 'req.lua');
  const hdrs = Object.entries(headers)
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join('\n');
  writeFileSync(
    script,
    `wrk.method = ${JSON.stringify(method)}\nwrk.body = ${luaString(body ?? '')}\n${hdrs}\n`,
  );
  const out = execFileSync(
    WRK,
    ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', '-s', script, url],
    { encoding: 'utf8' },
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p99 = parseMs(/99%\s+([\d.]+\w+)/.exec(out)?.[1] ?? '0ms');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return { rps, p99, non2xx, errors: errors ? errors.slice(1).reduce((a, x) => a + Number(x), 0) : 0 };
}

function luaString(s) {
  return '"' + Buffer.from(s, 'utf8').toString('hex').replace(/(..)/g, '\\x$1') + '"';
}

function parseMs(v) {
  const m = /([\d.]+)(us|ms|s)/.exec(v);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

/** Alternating rounds per comparison (env BENCH_ROUNDS): more rounds, steadier medians on shared cores. */
export const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Ratio of Falconer to bare per alternating pair (the two measured back to back, under the same
 * conditions), and their median: the headline figure.
 */
export function pairRatios(bare, falconer) {
  const ratios = falconer.map((f, i) => f.rps / bare[i].rps);
  return { ratios, median: median(ratios) };
}

/**
 * Bundles TypeScript sources of the repository with esbuild (tsx is not installed) into
 * dist/bench/<name>.cjs and loads it. `contents` is a module text of `export … from './libs/…'` lines; one
 * bundle means one copy of each class across the libraries it names.
 */
export async function loadTs(name, contents) {
  const outfile = join(process.cwd(), 'dist/bench', `${name}.cjs`);
  await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: 'tsconfig.base.json',
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

/** A config file with one batched webhook output `soc` (batchsize 100, flush 100 ms); returns its path. */
export function batchedWebhookConfig(webhookUrl) {
  const file = join(mkdtempSync(join(tmpdir(), 'falconer-bench-')), 'config.yaml');
  writeFileSync(
    file,
    [
      'outputs:',
      '  - name: soc',
      '    type: webhook',
      `    address: ${webhookUrl}`,
      '    batch: true',
      '    batchsize: 100',
      '    flushinterval: 100ms',
      '',
    ].join('\n'),
  );
  return file;
}

const redisCli = (port, ...args) =>
  execFileSync('redis-cli', ['-p', String(port), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });

/** One section of a redis-server's INFO, as a map. */
export function redisInfo(port, section) {
  return Object.fromEntries(
    redisCli(port, 'info', section)
      .split('\r\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]),
  );
}

/** Total calls over all commands (INFO commandstats). */
export function redisCalls(port) {
  return Object.values(redisInfo(port, 'commandstats')).reduce(
    (n, v) => n + Number(/calls=(\d+)/.exec(v)?.[1] ?? 0),
    0,
  );
}

/** PING answered by a redis-server on `port`. */
export function redisUp(port) {
  try {
    return redisCli(port, 'ping').trim() === 'PONG';
  } catch {
    return false;
  }
}

/** The Falco event the throughput benchmarks post (the repository's own fixture, ~1.1 KB). */
export const SAMPLE_BODY = readFileSync(
  new URL('../libs/testing/fixtures/falco/shell-in-container.json', import.meta.url),
  'utf8',
);
