import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { fixture } from '@falconer/testing';
import { launchRouter, type RouterProcess } from '../support/router-process';

/** Resident memory of the router process, from /proc (Linux). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

function eventWith(i: number, patch: Record<string, unknown>): string {
  const e = JSON.parse(fixture('shell-in-container')) as Record<string, unknown>;
  return JSON.stringify({ ...e, ...patch, uuid: undefined, output: `${String(e['output'])} #${i}` });
}

/** A subscriber that stops reading: its TCP window fills and the router's writes back up. */
async function stalledSubscriber(url: string): Promise<Socket> {
  const s = io(url, { path: '/socket.io', transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.on('connect', () => resolve());
    s.on('connect_error', reject);
  });
  await new Promise((resolve) => s.emit('subscribe', {}, resolve));
  const transport = s.io.engine.transport as unknown as { ws?: { _socket?: { pause(): void } } };
  transport.ws?._socket?.pause();
  return s;
}

describe('resource bounds of the built router (issue 20, findings 5 and 7)', () => {
  let router: RouterProcess;
  let pid: number;
  beforeAll(async () => {
    // every one of the 500 may connect: the byte budget per socket is what is under test
    router = await launchRouter({
      env: { LIVE_MAXCONNECTIONS: '600', LIVE_MAXSUBSCRIPTIONS: '600', STORE_TTL: '0' },
    });
    pid = router.child.pid ?? 0;
  });
  afterAll(async () => {
    await router?.stop();
  });

  it('500 stalled socket clients: RSS stays bounded, /healthz answers', async () => {
    const start = rssMb(pid);
    const sockets: Socket[] = [];
    for (let i = 0; i < 500; i++) sockets.push(await stalledSubscriber(router.url));
    let peak = 0;
    // 300 events of ~50 KB: 15 MB for each subscriber, 7.5 GB in all without a byte bound
    const big = 'x'.repeat(50_000);
    for (let i = 0; i < 300; i++) {
      expect(await router.post(eventWith(i, { output_fields: { 'proc.cmdline': big } }))).toBe(200);
      if (i % 20 === 0) peak = Math.max(peak, rssMb(pid));
    }
    peak = Math.max(peak, rssMb(pid));
    const health = await fetch(`${router.url}/healthz`);
    expect(health.status).toBe(200);
    console.log(`500 stalled sockets: RSS ${start.toFixed(0)} MB at start, ${peak.toFixed(0)} MB at peak`);
    expect(peak).toBeLessThan(start + 500);
    for (const s of sockets) s.close();
  });

  it('2 000 events with unique 100 KB rule and host names: RSS bounded, /metrics and /healthz answer', async () => {
    const start = rssMb(pid);
    let peak = 0;
    for (let i = 0; i < 2000; i++) {
      const name = `${i}-` + 'n'.repeat(100_000);
      expect(await router.post(eventWith(i, { rule: `rule-${name}`, hostname: `host-${name}` }))).toBe(200);
      if (i % 100 === 0) peak = Math.max(peak, rssMb(pid));
    }
    const metrics = await fetch(`${router.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text.length).toBeLessThan(2_000_000);
    expect((await fetch(`${router.url}/healthz`)).status).toBe(200);
    peak = Math.max(peak, rssMb(pid));
    console.log(
      `2 000 unique-label events: RSS ${start.toFixed(0)} MB at start, ${peak.toFixed(0)} MB at peak`,
    );
    // the store keeps at most store.maxbytes (256 MiB) of events; labels are cut to 128 bytes
    expect(peak).toBeLessThan(start + 700);
  });
});
