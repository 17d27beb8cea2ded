import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@falconer/contracts';
import { Receiver } from '@falconer/testing';
import { falcoEvent, uuidsIn } from '../delivery/events';
import { RedisCluster } from '../support/redis-cluster';
import { launchRouter, type ManagedRouter } from '../support/router-control';

// Two built routers on a real 3-master Redis Cluster (redis-server --cluster-enabled yes, joined with
// redis-cli --cluster create): ingest, history queries, delivery exactly once, the live stream.

const run = promisify(execFile);
type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

describe('routers on a 3-master Redis Cluster', () => {
  let cluster: RedisCluster;
  let receiver: Receiver;
  const routers: ManagedRouter[] = [];
  let socket: LiveSocket | undefined;

  beforeAll(async () => {
    cluster = await RedisCluster.start(3);
    receiver = await Receiver.start(() => ({ status: 200 }));
    const config = `outputs:\n  - name: soc\n    type: webhook\n    address: ${receiver.url}/falco\n`;
    // two of the three nodes as seeds: the client discovers the third
    const seeds = cluster.nodes
      .slice(0, 2)
      .map((n) => n.url)
      .join(',');
    for (let i = 0; i < 2; i++)
      routers.push(
        await launchRouter({ configYaml: config, env: { REDIS_URL: seeds, REDIS_CLUSTER: 'true' } }),
      );
  });
  afterAll(async () => {
    socket?.close();
    for (const r of routers) await r.kill('SIGTERM');
    await receiver?.close();
    await cluster?.stop();
  });

  it('ingest, history, live stream and delivery exactly once', async () => {
    const [a, b] = routers as [ManagedRouter, ManagedRouter];
    socket = io(b.url, { path: '/socket.io', transports: ['websocket'] });
    const live: string[] = [];
    socket.on('event', (json) => live.push((JSON.parse(json) as { uuid: string }).uuid));
    const ack = await new Promise<{ ok: boolean }>((resolve) => socket?.emit('subscribe', {}, resolve));
    expect(ack.ok).toBe(true);

    const sent: string[] = [];
    for (let i = 0; i < 200; i += 10) {
      const batch = Array.from({ length: 10 }, (_, k) => falcoEvent(i + k));
      const statuses = await Promise.all(batch.map((e, k) => (k % 2 === 0 ? a : b).post(e.body)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      sent.push(...batch.map((e) => e.uuid));
    }

    // history: either replica answers for all events
    for (const r of [a, b]) {
      const count = await r.api<{ statistics: { all: number } }>('/api/v1/events/count');
      expect(count.status).toBe(200);
      expect(count.body.statistics.all).toBe(200);
    }
    const page = await a.api<{ statistics: { all: number }; results: { uuid: string }[] }>(
      '/api/v1/events/search?rule=Terminal%20shell%20in%20container&limit=500',
    );
    expect(page.status).toBe(200);
    expect(new Set(page.body.results.map((e) => e.uuid))).toEqual(new Set(sent));
    const one = await b.api<{ event: { uuid: string } } | { uuid: string }>(`/api/v1/events/${sent[0]}`);
    expect(one.status).toBe(200);

    // triage (issue 18): set on A, filtered on B; its keys are in the history's slot too
    const bulk = await a.api<{ changed: number }>('/api/v1/events/triage', {
      method: 'POST',
      body: { state: 'acknowledged', uuids: sent.slice(0, 5) },
    });
    expect(bulk.body).toMatchObject({ changed: 5 });
    const acked = await b.api<{ statistics: { all: number } }>('/api/v1/events/count?triage=acknowledged');
    expect(acked.body.statistics.all).toBe(5);

    // exactly once at the webhook
    const delivered = (): string[] => receiver.requests.flatMap((q) => uuidsIn(q.text));
    await until(() => delivered().length >= 200, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(delivered().length).toBe(200);
    expect(new Set(delivered())).toEqual(new Set(sent));

    // the dashboard on B saw every event, A's included
    await until(() => live.length >= 200, 10_000);
    expect(new Set(live)).toEqual(new Set(sent));
    expect(live.length).toBe(200);

    // every key carries a hash tag: the history in one slot, the delivery queues in another
    const keys: string[] = [];
    for (const n of cluster.nodes) {
      const { stdout } = await run('redis-cli', ['-p', String(n.port), '--scan']);
      keys.push(...stdout.split('\n').filter((k) => k !== ''));
    }
    expect(keys.length).toBeGreaterThan(200);
    const tags = new Set(keys.map((k) => /^\{[^}]+\}/.exec(k)?.[0] ?? `untagged: ${k}`));
    expect(tags).toEqual(new Set(['{falconer:h}', '{falconer}']));
  }, 120_000);

  it('refuses a Redis Cluster URL with a database other than 0, and several URLs without redis.cluster', async () => {
    const { REPO_ROOT, ROUTER_MAIN } = await import('../support/router-process');
    for (const env of [
      { REDIS_URL: `${cluster.nodes[0]?.url}/3`, REDIS_CLUSTER: 'true' },
      { REDIS_URL: cluster.url },
    ]) {
      const r = await run(process.execPath, [ROUTER_MAIN], {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'] ?? '', LISTENPORT: '0', ...env },
      }).catch((err: { code: number; stdout: string; stderr: string }) => err);
      expect('code' in r ? r.code : 0).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(
        /redis\.url: (a Redis Cluster has only database 0|several URLs need redis\.cluster)/,
      );
    }
  });
});
