import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { fixture } from '@falconer/testing';
import { DEFAULT_LIMITS, EventValidationError, type ParsedEvent } from '@falconer/falco';
import { ParsePool } from './parse-pool';

// The pool's own decisions and its fallbacks, with small worker scripts that misbehave on purpose. The
// real worker (dist/apps/router/parse-worker.js) is exercised against the built router in
// e2e/src/router/parse-worker.spec.ts.

const silent = pino({ level: 'silent' });
const event = Buffer.from(fixture('shell-in-container'));
const invalid = Buffer.from(
  '{"priority":"urgent","rule":"r","time":"2026-01-01T00:00:00Z","output_fields":{"a":1}}',
);

function workerScript(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'falconer-parse-pool-')), 'worker.js');
  writeFileSync(file, source);
  return file;
}

const twoCores = availableParallelism() > 1;
if (!twoCores)
  console.warn('parse-pool.spec: one CPU, so the pool never starts a worker; fallbacks not exercised');

describe.skipIf(!twoCores)('ParsePool', () => {
  it('parses a body that is alone in its turn on the spot, and later ones of the same turn on the worker', async () => {
    // a worker that answers every body with "parse it yourself"
    const file = workerScript(
      "const { parentPort } = require('node:worker_threads');" +
        'parentPort.on("message", (batch) => parentPort.postMessage(batch.map((r) => ({ id: r.id }))));',
    );
    const pool = new ParsePool(file, DEFAULT_LIMITS, silent);
    const results: (ParsedEvent | Error)[] = [];
    pool.parse(event, (r) => results.push(r));
    expect(results).toHaveLength(1); // synchronously: no hop for a lone request
    pool.parse(event, (r) => results.push(r));
    pool.parse(invalid, (r) => results.push(r));
    expect(results).toHaveLength(1); // waiting on the worker
    await vi.waitFor(() => expect(results).toHaveLength(3));
    // the worker declined: the main thread parsed both, with the same outcome as on the spot
    expect((results[1] as ParsedEvent).event.rule).toBe('Terminal shell in container');
    expect(results[2]).toBeInstanceOf(EventValidationError);
    expect((results[2] as EventValidationError).field).toBe('priority');
    expect(pool.offloaded).toBe(0);
    await pool.close();
  });

  it('parses what a dead worker held on the main thread, then stops offloading', async () => {
    const file = workerScript(
      "require('node:worker_threads').parentPort.on('message', () => process.exit(3));",
    );
    const log = { error: vi.fn() };
    const pool = new ParsePool(file, DEFAULT_LIMITS, log as unknown as typeof silent);
    const results: (ParsedEvent | Error)[] = [];
    for (let i = 0; i < 6; i++) pool.parse(event, (r) => results.push(r));
    expect(results).toHaveLength(1);
    await vi.waitFor(() => expect(results).toHaveLength(6));
    expect(results.every((r) => !(r instanceof Error) && r.event.priority === 'Notice')).toBe(true);
    expect(log.error).toHaveBeenCalledOnce();
    // from now on every body is parsed on the spot, even in a busy turn
    for (let i = 0; i < 3; i++) pool.parse(event, (r) => results.push(r));
    expect(results).toHaveLength(9);
    await pool.close();
  });
});
