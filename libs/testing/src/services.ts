import { connect, createServer } from 'node:net';

/** True when something accepts TCP connections at host:port within the timeout. */
export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * For tests that need a real service (Redis, InfluxDB, Chromium…). Returns true when it is there.
 * When it is missing: in CI (`CI=true`) this throws — a missing service is a failure, never a silent
 * skip; on a developer's machine it prints a loud warning and returns false so the suite can skip.
 *
 *   const hasRedis = await serviceAvailable('redis', () => canConnect(6379));
 *   describe.skipIf(!hasRedis)('…', () => { … });
 */
export async function serviceAvailable(
  name: string,
  probe: () => Promise<boolean> | boolean,
): Promise<boolean> {
  const ok = await probe();
  if (ok) return true;
  if (process.env['CI'] === 'true') {
    throw new Error(`${name} is required in CI but is not available (did .ci/run start it?)`);
  }
  console.warn(
    `\n!!! SKIPPING tests that need ${name}: it is not available on this machine. CI runs them. !!!\n`,
  );
  return false;
}

export const REDIS_URL = process.env['FALCONER_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A TCP port free on loopback right now, for servers that must be told their port (Alertmanager, InfluxDB). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
