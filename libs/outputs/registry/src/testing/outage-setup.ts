import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Output } from '@falconer/outputs-core';
import type { OutageReport } from '@falconer/outputs-testing';
import { freePort, ServerProcess } from '@falconer/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadRouterConfig } from '../catalog';
import { buildOutputs } from '../registry';

/** The set-up the broker outage specs share: the output, the broker of their own, the verdict. */

/** The one output a falcosidekick-style configuration enables, built as the router builds it. */
export function outputFrom(source: { env?: Record<string, string>; yaml?: string }): Output {
  const { config } = loadRouterConfig({
    env: source.env ?? {},
    ...(source.yaml !== undefined ? { yaml: source.yaml } : {}),
  });
  const { instances, errors } = buildOutputs(config.outputs);
  expect(errors).toEqual([]);
  const output = instances[0]?.output;
  if (output === undefined) throw new Error('the configuration enables no output');
  return output;
}

export interface PrivateServer {
  readonly server: ServerProcess;
  readonly port: number;
  /** Its files (persistence), a fresh temporary directory removed after the file's tests. */
  readonly dir: string;
}

/**
 * A broker binary of the spec's own (the machine's shared one must keep running, this one is stopped
 * for the outage), on a free loopback port with its files in a temporary directory so what it stored
 * survives the restart: started before the file's tests, stopped and removed after them. `args` gets
 * the port and the directory (and may write a configuration file there).
 */
export function privateServer(
  binary: string,
  name: string,
  args: (port: number, dir: string) => string[],
): PrivateServer {
  let state: PrivateServer | undefined;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `falconer-${name}-`));
    const port = await freePort();
    const server = new ServerProcess(binary, args(port, dir), port);
    state = { server, port, dir };
    await server.start();
  });
  afterAll(async () => {
    if (state === undefined) return;
    await state.server.stop();
    rmSync(state.dir, { recursive: true, force: true });
  });
  const get = (): PrivateServer => {
    if (state === undefined) throw new Error(`${name} server not started`);
    return state;
  };
  return {
    get server() {
      return get().server;
    },
    get port() {
      return get().port;
    },
    get dir() {
      return get().dir;
    },
  };
}

/**
 * What every outage spec requires (logged with `extra` first): each of the 500 events delivered, none
 * missing or dead-lettered, and the destination really was away for the 10 s.
 */
export function expectDeliveredThroughOutage(name: string, report: OutageReport, extra: object = {}): void {
  console.log(`${name} outage:`, JSON.stringify({ ...report, missing: report.missing.length, ...extra }));
  expect(report.missing).toEqual([]);
  expect(report).toMatchObject({ enqueued: 500, unique: 500, deadLettered: 0 });
  expect(report.outageMs).toBeGreaterThanOrEqual(10_000);
}
