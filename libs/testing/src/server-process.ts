import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { canConnect } from './services';

/**
 * A server binary (nats-server, mosquitto, redis-server…) run by a test on its own loopback port, so the
 * test can stop and restart it without touching the machine's shared instance.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly port: number,
  ) {}

  static installed(command: string): boolean {
    return existsSync(command);
  }

  /** Starts it and waits until the port accepts connections. */
  async start(timeoutMs = 10_000): Promise<void> {
    const child = spawn(this.command, [...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (b: Buffer): void => {
      this.output = (this.output + b.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (child.exitCode !== null)
        throw new Error(`${this.command} exited (${child.exitCode}): ${this.output}`);
      if (await canConnect(this.port, '127.0.0.1', 200)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.command} did not listen on ${this.port}: ${this.output}`);
  }

  /** SIGTERM (the server saves what it persists), then waits for the exit. */
  async stop(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (c === undefined || c.exitCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  }

  get log(): string {
    return this.output;
  }
}
