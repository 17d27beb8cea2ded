import axios, { type AxiosResponse } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable } from '@falconer/testing';
import { DASHBOARD_ENV, chromiumInstalled, launchChromium, openPage } from '../dashboard/browser';
import { DASHBOARD_INDEX, assertBuilt, launchRouter, type RouterProcess } from '../support/router-process';

/**
 * falcosidekick-ui v2.3 drop-in (issue 14): the calls its frontend makes (frontend/src/http.js and the pages
 * that use it) replayed against the built router, through axios as that frontend sends them: base
 * `//<host><page path>api/v1`, Basic credentials and its three fixed headers on every call, every filter
 * `${value}`-templated (arrays comma-joined, empty strings kept). The history is fed as falcosidekick's
 * webui output feeds falcosidekick-ui: `POST <webui.url>/api/v1/` with `{"event":…,"outputs":[…]}`.
 */

const hasChromium = await serviceAvailable('chromium', () => chromiumInstalled());
const BASEPATH = '/falco-ui';
const SINCE = [
  '5min',
  '15min',
  '30min',
  '1h',
  '2h',
  '5h',
  '12h',
  '24h',
  '48h',
  '1w',
  '2w',
  '1M',
  '3M',
  '6M',
  '1y',
  '2y',
];
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** One event inside each `since` range but not the one before, plus one older than 2y. */
const AGES = [
  2 * MIN,
  3 * MIN, // 5min: 2
  10 * MIN, // 15min: 3
  20 * MIN,
  45 * MIN,
  90 * MIN,
  4 * HOUR,
  8 * HOUR,
  20 * HOUR,
  40 * HOUR,
  4 * DAY, // 1w: 11
  10 * DAY,
  20 * DAY,
  60 * DAY,
  120 * DAY,
  300 * DAY,
  500 * DAY, // 2y: 17
  1000 * DAY,
];
const PRIORITIES = ['Critical', 'Warning', 'Error', 'Notice', 'Informational', 'Debug'];
const RULES = ['Terminal shell in container', 'Read sensitive file untrusted', 'Write below binary dir'];
const HOSTS = ['worker-1', 'worker-2'];
const OUTPUTS = ['Slack', 'Elasticsearch', 'WebUI'];
const uuidOf = (i: number): string => `30000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

interface UiEvent {
  uuid: string;
  output: string;
  priority: string;
  rule: string;
  time: string;
  source: string;
  output_fields: Record<string, unknown>;
  hostname: string;
  tags: string[];
}

/** What falcosidekick's webui output posts: the Falco payload (uuid added) and its enabled outputs. */
function webuiBody(i: number, now: number): string {
  const at = new Date(now - (AGES[i] as number));
  const priority = PRIORITIES[i % PRIORITIES.length] as string;
  const clock = at.toISOString().slice(11, 23) + '000000';
  const event = {
    uuid: uuidOf(i),
    output: `${clock}: ${priority} event number ${i} (user=root proc=proc-${i})`,
    priority,
    rule: RULES[i % RULES.length],
    time: at.toISOString().replace('Z', '123456Z'),
    // the second event has no fields: falcosidekick then sends an empty map
    output_fields: i === 1 ? {} : { 'proc.name': `proc-${i}`, 'user.name': 'root', 'evt.time': at.getTime() },
    source: i % 5 === 4 ? 'k8s_audit' : 'syscall',
    tags: i % 2 === 0 ? ['container', 'shell'] : ['filesystem'],
    hostname: HOSTS[i % HOSTS.length],
  };
  return JSON.stringify({ event, outputs: OUTPUTS });
}

/** falcosidekick-ui's frontend/src/http.js, production build, for a page served at `pagePath`. */
function frontend(origin: string, pagePath: string, username = 'anonymous', password = 'anonymous') {
  const api = axios.create({
    baseURL: `${origin}${pagePath}api/v1`,
    headers: {
      'Content-type': 'application/json',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': '*',
    },
    params: new URLSearchParams(),
    // the frontend lets axios throw on 4xx; the test reads every status instead
    validateStatus: () => true,
  });
  // what the browser's XHR adapter does and Node's does not: a request without data goes without Content-Type
  api.interceptors.request.use((config) => {
    if (config.data === undefined) config.headers.setContentType(null);
    return config;
  });
  const auth = { username, password };
  const filters = (
    source: unknown,
    hostname: unknown,
    priority: unknown,
    rule: unknown,
    filter: unknown,
    tags: unknown,
    since: unknown,
  ): Record<string, string> => ({
    source: `${String(source)}`,
    hostname: `${String(hostname)}`,
    priority: `${String(priority)}`,
    rule: `${String(rule)}`,
    filter: `${String(filter)}`,
    tags: `${String(tags)}`,
    since: `${String(since)}`,
  });
  return {
    listOutputs: () => api.request({ url: '/outputs', method: 'get', params: {}, auth }),
    getConfiguration: () => api.request({ url: '/configuration', method: 'get', params: {}, auth }),
    getVersion: () => api.request({ url: '/version', method: 'get', params: {}, auth }),
    countEvents: (...f: Parameters<typeof filters>) =>
      api.request({ url: '/events/count', method: 'get', params: filters(...f), auth }),
    countByEvents: (group: string, ...f: Parameters<typeof filters>) =>
      api.request({ url: `/events/count/${group}`, method: 'get', params: filters(...f), auth }),
    searchEvents: (...a: [...Parameters<typeof filters>, page: unknown, limit: unknown]) => {
      const [page, limit] = a.slice(7);
      return api.request({
        url: '/events/search',
        method: 'get',
        params: {
          ...filters(...(a.slice(0, 7) as Parameters<typeof filters>)),
          page: `${String(page)}`,
          limit: `${String(limit)}`,
        },
        auth,
      });
    },
    authenticate: (user: string, pass: string) =>
      api.request({ url: '/auth', method: 'post', auth: { username: `${user}`, password: `${pass}` } }),
    /** Calls outside http.js, from falcosidekick-ui's API list: the other name of configuration, healthz. */
    get: (url: string) => api.request({ url, method: 'get', auth }),
  };
}
type Frontend = ReturnType<typeof frontend>;

interface CountBy {
  results: Record<string, number>;
  statistics: { all: number; distincts?: number };
}
interface Search {
  results: UiEvent[];
  statistics: { all: number; returned?: number };
}
const json = <T>(r: AxiosResponse): T => r.data as T;

describe("falcosidekick-ui's frontend and falcosidekick's webui output against the built router", () => {
  let router: RouterProcess;
  let now: number;

  beforeAll(async () => {
    assertBuilt(DASHBOARD_INDEX);
    router = await launchRouter({
      ui: false,
      env: { ...DASHBOARD_ENV, UI_ENABLED: 'true', UI_BASEPATH: BASEPATH },
    });
    now = Date.now();
    for (let i = 0; i < AGES.length; i++) {
      // half as falcosidekick 2.x posts (`/api/v1/`), half to the other name falcosidekick-ui answers
      const path = i % 2 === 0 ? '/api/v1/' : '/api/v1/events/add';
      const res = await fetch(`${router.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Falcosidekick' },
        body: webuiBody(i, now),
      });
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe('"{}"\n');
    }
  });
  afterAll(async () => {
    await router?.kill('SIGTERM');
  });

  it('refuses a webui body that is not an event with a 400 and a JSON reason', async () => {
    const res = await fetch(`${router.url}/api/v1/`, { method: 'POST', body: '{"event":{},"outputs":[]}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_event', field: 'event.priority' });
  });

  // the frontend at the origin's root, and the same frontend served under ui.basepath
  describe.each([
    ['at /', '/'],
    [`under ${BASEPATH}/`, `${BASEPATH}/`],
  ])('the frontend served %s', (_name, pagePath) => {
    let ui: Frontend;
    beforeAll(() => {
      ui = frontend(router.url, pagePath);
    });

    // Login page: anonymous:anonymous first (POST /api/v1/auth).
    it('login: anonymous:anonymous gets 200 when no dashboard user is configured', async () => {
      const res = await ui.authenticate('anonymous', 'anonymous');
      expect(res.status).toBe(200);
    });

    it('filter drop-downs: count/{priority,rule,source,hostname,tags} for every since range', async () => {
      const expected = (since: string): number => AGES.filter((a) => a < sinceMs(since)).length;
      for (const since of SINCE) {
        for (const group of ['priority', 'rule', 'source', 'hostname', 'tags']) {
          const res = await ui.countByEvents(group, '', '', '', '', '', '', since);
          expect(res.status, `${group} ${since}`).toBe(200);
          const body = json<CountBy>(res);
          const values = Object.values(body.results);
          expect(body.statistics.all, `${group} ${since}`).toBe(values.reduce((a, b) => a + b, 0));
          expect(body.statistics.distincts).toBe(values.length);
          // every event has one priority, rule, source and hostname; tags: one or two each
          if (group !== 'tags') expect(body.statistics.all, `${group} ${since}`).toBe(expected(since));
        }
      }
      const all = json<CountBy>(await ui.countByEvents('priority', '', '', '', '', '', '', 'null'));
      expect(all.statistics.all).toBe(AGES.length);
      const tags = json<CountBy>(await ui.countByEvents('tags', '', '', '', '', '', '', '24h'));
      expect(tags.results).toEqual({ container: 5, shell: 5, filesystem: 4 });
      expect(tags.statistics).toEqual({ all: 14, distincts: 3 });
    });

    it('counters: count/priority with the page filters, arrays comma-joined; no match is results {}', async () => {
      const res = await ui.countByEvents('priority', [], [], ['Critical', 'Warning'], [], '', [], '2y');
      expect(json<CountBy>(res)).toEqual({
        results: { Critical: 3, Warning: 3 },
        statistics: { all: 6, distincts: 2 },
      });
      const none = await ui.countByEvents('priority', [], ['nowhere'], [], [], '', [], '24h');
      expect(none.status).toBe(200);
      expect(JSON.stringify(none.data)).toBe('{"results":{},"statistics":{"all":0}}');
      const count = await ui.countEvents([], ['worker-2'], [], RULES[1], '', [], '');
      expect(json<unknown>(count)).toEqual({ statistics: { all: 3 } });
    });

    it('events table: page 1 and 2 of 10, statistics.all, filters, free text, null', async () => {
      const p1 = json<Search>(await ui.searchEvents([], [], [], [], '', [], 'null', 1, 10));
      const p2 = json<Search>(await ui.searchEvents([], [], [], [], '', [], 'null', 2, 10));
      expect(p1.statistics).toEqual({ returned: 10, all: AGES.length });
      expect(p2.statistics).toEqual({ returned: AGES.length - 10, all: AGES.length });
      expect([...p1.results, ...p2.results].map((e) => e.uuid)).toEqual(AGES.map((_, i) => uuidOf(i)));
      // Vuetify's "All" rows per page sends -1: falcosidekick-ui then pages by 100
      const allRows = json<Search>(await ui.searchEvents([], [], [], [], '', [], '', 1, -1));
      expect(allRows.results).toHaveLength(AGES.length);

      const e = p1.results[0] as UiEvent;
      expect(Object.keys(e).sort()).toEqual(
        ['hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'tags', 'time', 'uuid'].sort(),
      );
      // Falco's "HH:MM:SS.nnnnnnnnn: Priority " is stripped, as falcosidekick-ui does
      expect(e.output).toBe('event number 0 (user=root proc=proc-0)');
      expect(p1.results[1]?.output_fields).toEqual({});

      const narrowed = json<Search>(
        await ui.searchEvents(
          ['syscall'],
          ['worker-1', 'worker-2'],
          ['Critical', 'Error'],
          RULES[0],
          'proc-6',
          ['container'],
          '1w',
          1,
          10,
        ),
      );
      expect(narrowed.results.map((x) => x.uuid)).toEqual([uuidOf(6)]);
      const none = await ui.searchEvents([], [], [], [], 'no such text', [], '', 1, 10);
      expect(JSON.stringify(none.data)).toBe('{"results":[],"statistics":{"all":0}}');
    });

    it('timelines: page 0 then 2, 3… of 500 (page 0 is the first page); returned tells when to stop', async () => {
      const first = json<Search>(await ui.searchEvents([], [], [], [], '', [], '2y', 0, 500));
      expect(first.statistics).toEqual({ returned: 17, all: 17 });
      // the walk the timeline does when a page is full, with pages of 5
      const walk: string[] = [];
      let page = 0;
      for (;;) {
        const r = json<Search>(await ui.searchEvents([], [], [], [], '', [], '2y', page, 5));
        walk.push(...r.results.map((x) => x.uuid));
        if (r.statistics.returned !== 5) break;
        page += page === 0 ? 2 : 1;
      }
      expect(walk).toEqual(first.results.map((x) => x.uuid));
    });

    it('export: page=0&limit=10000 answers every matching event, streamed', async () => {
      const res = await ui.searchEvents([], [], [], [], '', [], '', 0, 10000);
      expect(res.status).toBe(200);
      // a page over 1000 is written as the store's cursor yields it: chunked, no Content-Length
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.headers['content-length']).toBeUndefined();
      const body = json<Search>(res);
      expect(body.statistics).toEqual({ returned: AGES.length, all: AGES.length });
      expect(body.results.map((x) => x.uuid)).toEqual(AGES.map((_, i) => uuidOf(i)));
    });

    it('info page: outputs (names), configuration, config, version; healthz', async () => {
      const outputs = await ui.listOutputs();
      expect(outputs.status).toBe(200);
      // no output of its own configured here: the names falcosidekick's last webui body listed
      expect(outputs.data).toEqual(OUTPUTS);
      for (const url of ['/configuration', '/config']) {
        const c = await ui.get(url);
        expect(c.status, url).toBe(200);
        expect(typeof c.data).toBe('object');
        expect(Object.keys(c.data as object).length).toBeGreaterThan(0);
      }
      expect((await ui.getConfiguration()).data).toEqual((await ui.get('/config')).data);
      const v = await ui.getVersion();
      expect(v.status).toBe(200);
      for (const key of [
        'GitVersion',
        'GitCommit',
        'GitTreeState',
        'BuildDate',
        'GoVersion',
        'Compiler',
        'Platform',
      ])
        expect(typeof (v.data as Record<string, unknown>)[key], key).toBe('string');
      const h = await ui.get('/healthz');
      expect(h.status).toBe(200);
      expect(h.data).toEqual({ status: 'ok' });
    });

    it('a bad group-by is a 400 with a JSON message', async () => {
      const res = await ui.countByEvents('color', '', '', '', '', '', '', '24h');
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({ message: expect.stringMatching(/^groupby: /) as unknown });
    });
  });

  it.skipIf(!hasChromium)("a webui body shows up in Falconer's own dashboard", async () => {
    const browser = await launchChromium();
    try {
      const { page, errors, context } = await openPage(browser);
      await page.goto(`${router.url}${BASEPATH}/explorer?filter=${encodeURIComponent('event number 4')}`);
      const row = page.locator(`[data-testid=results] tr[data-uuid="${uuidOf(4)}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain(RULES[4 % RULES.length]);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});

/** The frontend's `since` values in milliseconds, as falcosidekick-ui reads them (1M = 30 days, 1y = 365). */
function sinceMs(since: string): number {
  const m = /^(\d+)(min|h|w|M|y)$/.exec(since);
  if (m === null) throw new Error(`unexpected since ${since}`);
  const unit = { min: MIN, h: HOUR, w: 7 * DAY, M: 30 * DAY, y: 365 * DAY }[
    m[2] as 'min' | 'h' | 'w' | 'M' | 'y'
  ];
  return Number(m[1]) * unit;
}
