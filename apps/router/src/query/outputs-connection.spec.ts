import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputInfo, OutputsResponse } from '@falconer/contracts';
import { freePort, ServerProcess, serviceAvailable } from '@falconer/testing';
import type { RouterApp } from '../app';
import { boot, falcoJson, ingest } from './query.testing';

const NATS_SERVER = '/usr/sbin/nats-server';
const hasNats = await serviceAvailable('nats-server binary', () =>
  Promise.resolve(ServerProcess.installed(NATS_SERVER)),
);

/** A broker output's connection on `GET /api/v1/outputs/status` while its server goes away and back. */
describe.skipIf(!hasNats)('a broker output connection on the outputs API', () => {
  let server: ServerProcess;
  let router: RouterApp;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    server = new ServerProcess(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], port);
    await server.start();
    ({ router, base } = await boot({
      NATS_HOSTPORT: `nats://127.0.0.1:${port}`,
      NATS_RECONNECTWAIT: '200ms',
    }));
  });
  afterAll(async () => {
    await router?.close();
    await server?.stop();
  });

  async function nats(): Promise<OutputInfo> {
    const res = await fetch(`${base}/api/v1/outputs/status`);
    expect(res.status).toBe(200);
    const found = ((await res.json()) as OutputsResponse).outputs.find((o) => o.name === 'nats');
    if (found === undefined) throw new Error('no nats output listed');
    return found;
  }

  async function until(cond: (o: OutputInfo) => boolean, what: string): Promise<OutputInfo> {
    const end = Date.now() + 20_000;
    for (;;) {
      const o = await nats();
      if (cond(o)) return o;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(o.connection)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('shows connected, reconnecting with attempts and the error while the server is stopped, then connected again', async () => {
    // not used yet: no connection opened
    expect((await nats()).connection).toMatchObject({ state: 'idle', connects: 0 });

    await ingest(base, [falcoJson(1, { priority: 'Critical' })]);
    const up = await until((o) => o.connection?.state === 'connected' && o.counters.sent === 1, 'connected');
    expect(up.connection).toMatchObject({ attempts: 0, connects: 1, disconnects: 0 });

    await server.stop();
    const lost = await until(
      (o) => o.connection?.state === 'reconnecting' && (o.connection.attempts ?? 0) >= 2,
      'reconnecting attempts',
    );
    expect(lost.connection).toMatchObject({ connects: 1, disconnects: 1 });
    expect(lost.connection?.lastError).toMatch(/disconnected/);

    await server.start();
    const back = await until((o) => o.connection?.state === 'connected', 'connected again');
    expect(back.connection).toMatchObject({ attempts: 0, connects: 2, disconnects: 1 });

    // and it delivers on the same connection
    await ingest(base, [falcoJson(2, { priority: 'Critical' })]);
    const after = await until((o) => o.counters.sent === 2, 'the second event sent');
    expect(after.counters.deadLettered).toBe(0);
    expect(after.connection?.connects).toBe(2);
  });
});
