import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * librdkafka's mock Kafka cluster, run by Debian's `kcat` (it keeps the cluster up while it consumes a
 * placeholder topic). Topics are created on first metadata request. `pause()`/`resume()` freeze and thaw
 * the whole cluster (SIGSTOP/SIGCONT): the mock's ports are random per run, so a restart could not come
 * back where clients were connected; a frozen broker is what a client sees of a dead one.
 */
export class KafkaMock {
  private constructor(
    private readonly child: ChildProcess,
    readonly bootstrap: string,
  ) {}

  static installed(): boolean {
    return existsSync('/usr/bin/kcat');
  }

  static start(brokers = 3): Promise<KafkaMock> {
    const child = spawn(
      '/usr/bin/kcat',
      [
        '-X',
        `test.mock.num.brokers=${brokers}`,
        '-b',
        'mock',
        '-C',
        '-t',
        '__falconer_mock',
        '-o',
        'end',
        '-q',
        '-u',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return new Promise((resolve, reject) => {
      let err = '';
      const t = setTimeout(() => reject(new Error(`kcat mock cluster did not start: ${err}`)), 10_000);
      child.stderr?.on('data', (b: Buffer) => {
        err += b.toString();
        const m = /replaced with (\S+)/.exec(err);
        if (m?.[1]) {
          clearTimeout(t);
          resolve(new KafkaMock(child, m[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`kcat exited (${code}): ${err}`)));
    });
  }

  /** Every record of `topic` (values as text, one JSON per line), read by a kcat consumer to the end of each partition. */
  read(topic: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      execFile(
        '/usr/bin/kcat',
        ['-b', this.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q'],
        { maxBuffer: 256 * 1024 * 1024, timeout: 30_000 },
        (error, stdout) => {
          if (error) reject(new Error(`kcat consumer failed: ${error.message}`));
          else resolve(stdout.split('\n').filter((s) => s !== ''));
        },
      );
    });
  }

  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    await exited;
  }
}
