import { Agent, request } from 'node:http';

const RULES = [
  {
    rule: 'Terminal shell in container',
    priority: 'Notice',
    tags: ['container', 'mitre_execution', 'shell'],
  },
  { rule: 'Write below binary dir', priority: 'Error', tags: ['filesystem', 'mitre_persistence'] },
  {
    rule: 'Read sensitive file untrusted',
    priority: 'Warning',
    tags: ['filesystem', 'mitre_credential_access'],
  },
  {
    rule: 'Drop and execute new binary in container',
    priority: 'Critical',
    tags: ['container', 'mitre_defense_evasion'],
  },
  { rule: 'Contact K8S API Server From Container', priority: 'Notice', tags: ['k8s', 'network'] },
  { rule: 'Launch Privileged Container', priority: 'Informational', tags: ['container', 'cis'] },
  {
    rule: 'Outbound connection to C2 server',
    priority: 'Alert',
    tags: ['network', 'mitre_command_and_control'],
  },
  { rule: 'Clear log activities', priority: 'Warning', tags: ['filesystem'] },
] as const;
const NAMESPACES = ['shop', 'payments', 'kube-system', 'monitoring'];
const HOSTS = ['worker-1', 'worker-2', 'worker-3'];

/** A realistic Falco http_output body: k8s fields, nanosecond time and a 19-digit evt.time. */
export function falcoEvent(
  i: number,
  over: { priority?: string; rule?: string; ns?: string; host?: string; marker?: string; at?: Date } = {},
): string {
  const base = RULES[i % RULES.length] ?? RULES[0];
  const ns = over.ns ?? NAMESPACES[i % NAMESPACES.length] ?? 'shop';
  const host = over.host ?? HOSTS[i % HOSTS.length] ?? 'worker-1';
  const pod = `${ns === 'shop' ? 'web' : ns}-6d4cf56db6-${(i % 997).toString(36).padStart(5, 'x')}`;
  const at = over.at ?? new Date();
  const nanos = `${BigInt(at.getTime()) * 1_000_000n + BigInt(i % 1_000_000)}`;
  const iso = at.toISOString().replace('Z', '') + String(i % 1_000_000).padStart(6, '0') + 'Z';
  const rule = over.rule ?? base.rule;
  const priority = over.priority ?? base.priority;
  const marker = over.marker === undefined ? '' : ` marker=${over.marker}`;
  return JSON.stringify({
    hostname: host,
    output: `${iso}: ${priority} ${rule} (user=root command=bash pod=${pod} ns=${ns}${marker})`,
    priority,
    rule,
    source: 'syscall',
    tags: [...base.tags],
    time: iso,
    output_fields: {
      'container.id': '4f1c2a9b7d3e',
      'container.image.repository':
        ns === 'shop' ? 'docker.io/library/nginx' : `registry.example.com/${ns}/api`,
      'container.image.tag': '1.27',
      'k8s.ns.name': ns,
      'k8s.pod.name': pod,
      'proc.cmdline': 'bash',
      'user.name': 'root',
      'evt.time': 0,
    },
  }).replace('"evt.time":0', `"evt.time":${nanos}`);
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
}

/**
 * Posts `rate` events per second for `seconds` to the router in 20 ms ticks, each tick one NDJSON batch
 * (`POST /api/v1/events`) over a keep-alive connection: a steady stream without the load generator's own
 * HTTP overhead eating the 2 cores the router and the browser share.
 */
export async function postLoad(
  url: string,
  rate: number,
  seconds: number,
  make: (i: number) => string = falcoEvent,
): Promise<LoadResult> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  let sent = 0;
  let ok = 0;
  let failed = 0;
  const inflight = new Set<Promise<void>>();
  const post = (body: string, n: number): Promise<void> =>
    new Promise((resolve) => {
      const req = request(
        {
          agent,
          host: hostname,
          port,
          method: 'POST',
          path: '/api/v1/events',
          headers: { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) ok += n;
            else failed += n;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed += n;
        resolve();
      });
      req.end(body);
    });
  const start = performance.now();
  const target = Math.round(rate * seconds);
  while (sent < target) {
    // send what the schedule owes by now: timer slips on a busy machine do not lower the rate
    const due = Math.min(target, Math.ceil(((performance.now() - start) / 1000) * rate) + perTick);
    const n = due - sent;
    if (n > 0) {
      const lines: string[] = [];
      for (let k = 0; k < n; k++) lines.push(make(sent++));
      const p = post(lines.join('\n'), n);
      inflight.add(p);
      void p.then(() => inflight.delete(p));
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(inflight);
  agent.destroy();
  return { sent, ok, failed, seconds: (performance.now() - start) / 1000 };
}

/** One NDJSON batch (`POST /api/v1/events`); resolves with the HTTP status. */
export async function postBatch(url: string, bodies: string[]): Promise<number> {
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: bodies.join('\n'),
  });
  await res.arrayBuffer();
  return res.status;
}
