import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect } from '@falconer/testing';
import { freePort } from './router-process';
import { captureOutput } from './process';

/**
 * A private `redis-server` on a free loopback port, for tests that stop Redis, need a whole server to
 * themselves (routers do not take key prefixes) or build a cluster. Nothing is saved to disk.
 */
export class RedisServer {
  private child: ChildProcess | undefined;
  private output: () => string = () => '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly extraArgs: readonly string[],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(extraArgs: readonly string[] = [], port?: number): Promise<RedisServer> {
    const server = new RedisServer(
      port ?? (await freePort()),
      mkdtempSync(join(tmpdir(), 'falconer-redis-')),
      extraArgs,
    );
    await server.resume();
    return server;
  }

  /** Starts the process (again, on the same port). */
  async resume(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        ...this.extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.output = captureOutput(child);
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`redis-server on ${this.port} did not start:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Kills the process (SIGKILL: as an outage looks to clients); the data is gone with it. */
  async halt(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
