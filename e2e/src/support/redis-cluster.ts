import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RedisServer } from './redis-server';

const run = promisify(execFile);

/**
 * A real Redis Cluster of three masters (no replicas) on free loopback ports: `redis-server
 * --cluster-enabled yes` processes joined by `redis-cli --cluster create`, slots spread over the three.
 */
export class RedisCluster {
  private constructor(readonly nodes: RedisServer[]) {}

  /** Seed URLs, comma-separated, as `redis.url` takes them with `redis.cluster`. */
  get url(): string {
    return this.nodes.map((n) => n.url).join(',');
  }

  static async start(masters = 3): Promise<RedisCluster> {
    const nodes: RedisServer[] = [];
    try {
      for (let i = 0; i < masters; i++)
        nodes.push(
          await RedisServer.start([
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
          ]),
        );
      await run('redis-cli', [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      const cluster = new RedisCluster(nodes);
      await cluster.waitOk();
      return cluster;
    } catch (err) {
      for (const n of nodes) await n.stop();
      throw err;
    }
  }

  /** Until every node says cluster_state:ok (slots assigned and gossip settled). */
  private async waitOk(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        this.nodes.map(
          async (n) => (await run('redis-cli', ['-p', String(n.port), 'cluster', 'info'])).stdout,
        ),
      );
      if (states.every((s) => s.includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) throw new Error(`cluster not ok:\n${states.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    for (const n of this.nodes) await n.stop();
  }
}
