import { parseEventTime } from '@falconer/outputs-core';
import { createDispatcher } from '@falconer/delivery';
import { sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

describe('Loki configured like falcosidekick, delivered to a local push receiver', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 204 }));
  });
  afterAll(() => rx.close());

  it('from a falcosidekick YAML section', async () => {
    const { config } = loadRouterConfig({
      env: {},
      yaml: `
loki:
  hostport: ${rx.url}
  tenant: team-a
  format: json
  extralabels: proc.cmdline
  customheaders:
    X-Source: falco
`,
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const out = instances[0]!.output;
    expect(await out.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.headers['x-scope-orgid']).toBe('team-a');
    expect(req.headers['x-source']).toBe('falco');
    const body = JSON.parse(req.text);
    expect(body.streams[0].stream.proc_cmdline).toBe('touch /bin/hack');
    expect(JSON.parse(body.streams[0].values[0][1]).uuid).toBe(sampleEvent().uuid);
    await out.close?.();
  });

  it('from environment variables only', async () => {
    const { config } = loadRouterConfig({
      env: {
        LOKI_HOSTPORT: rx.url,
        LOKI_ENDPOINT: '/api/prom/push',
        LOKI_USER: 'u',
        LOKI_APIKEY: 'k3y-value',
        LOKI_EXTRALABELS: 'user.name',
        LOKI_CUSTOMHEADERS: 'X-A:1',
      },
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const out = instances[0]!.output;
    expect(await out.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
    const req = rx.requests.at(-1)!;
    expect(req.url).toBe('/api/prom/push');
    expect(req.headers['authorization']).toBe(`Basic ${Buffer.from('u:k3y-value').toString('base64')}`);
    expect(req.headers['x-a']).toBe('1');
    expect(JSON.parse(req.text).streams[0].stream.user_name).toBe('root');
    await out.close?.();
  });

  it('under load the delivery layer sends one push with several streams; labels and ns timestamps exact', async () => {
    const { config } = loadRouterConfig({ env: { LOKI_HOSTPORT: rx.url } });
    const { instances } = buildOutputs(config.outputs);
    const i = instances[0]!;
    const d = await createDispatcher({
      targets: [{ name: i.name, type: i.type, output: i.output, delivery: { concurrency: 1 } }],
    });
    const events = Array.from({ length: 12 }, (_, k) =>
      (k % 2 === 0 ? sampleEvent : secondEvent)({
        uuid: `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`,
        time: `2026-11-30T01:02:03.${String(k).padStart(9, '0')}Z`,
        output: `event ${k}`,
      }),
    );
    const before = rx.requests.length;
    // queued before the worker starts: the first collect finds them all, as under a burst
    for (const e of events) await d.enqueue(e, [i.name]);
    await d.start();
    try {
      await rx.waitFor(before + 1);
      const pushes = rx.requests.slice(before).map((r) => JSON.parse(r.text));
      expect(pushes).toHaveLength(1);
      const streams = pushes[0].streams as { stream: Record<string, string>; values: [string, string][] }[];
      expect(streams.map((s) => s.stream)).toEqual([
        {
          hostname: 'falco-node-1',
          priority: 'Error',
          rule: 'Write below binary dir',
          source: 'syscall',
          tags: 'filesystem,mitre_persistence',
        },
        {
          hostname: 'worker-1',
          k8s_ns_name: 'shop',
          k8s_pod_name: 'web-6d4cf56db6-q8x2z',
          priority: 'Notice',
          rule: 'Terminal shell in container',
          source: 'syscall',
          tags: 'T1059,container,shell',
        },
      ]);
      const ns = (k: number) => String(parseEventTime(events[k]!.time)!.epochNs);
      expect(streams[0]!.values).toEqual([0, 2, 4, 6, 8, 10].map((k) => [ns(k), `event ${k}`]));
      expect(streams[1]!.values).toEqual([1, 3, 5, 7, 9, 11].map((k) => [ns(k), `event ${k}`]));
      expect(streams[1]!.values[0]![0]).toBe('1796000523000000001');
    } finally {
      await d.stop(1000);
      await i.output.close?.();
    }
  });
});
