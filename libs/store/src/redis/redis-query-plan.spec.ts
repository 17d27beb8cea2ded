import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '@falconer/contracts';
import { goJsonString } from '@falconer/falco';
import { RedisKeys } from './redis-keys';
import {
  countKeys,
  emptyRange,
  groupDimension,
  histogramFromIndexes,
  histogramGrid,
  planQuery,
  prefilterable,
  score,
} from './redis-query-plan';

// the plan is a pure function of the query, the clock and the key layout: no Redis here
const keys = new RedisKeys('p:');
const NOW = Date.parse('2026-01-02T00:00:00Z');

describe('redis query plan', () => {
  it('maps each indexed condition to its index keys; only tags are not disjoint', () => {
    const plan = planQuery(
      { priority: ['warning,critical'], rule: ['R1'], tags: ['a', 'b'], namespace: ['ns1'] },
      NOW,
      keys,
    );
    expect(plan.groups).toEqual([
      { keys: ['p:i:priority:Warning', 'p:i:priority:Critical'], disjoint: true },
      { keys: ['p:i:rule:R1'], disjoint: true },
      { keys: ['p:i:tag:a', 'p:i:tag:b'], disjoint: false },
      { keys: ['p:i:ns:ns1'], disjoint: true },
    ]);
    expect(plan.needsEvent).toBe(false);
    expect(plan.prefilter).toBeUndefined();
    expect([plan.lo, plan.hi]).toEqual([-Infinity, Infinity]);
  });

  it('answers a triage filter from its two indexes: new is in neither (an inverted condition)', () => {
    const g = (t: string) => planQuery({ triage: [t] }, NOW, keys).groups;
    expect(g('acknowledged')).toEqual([
      { keys: ['p:i:triage:acknowledged'], disjoint: true, exclude: false },
    ]);
    expect(g('acknowledged,resolved')).toEqual([
      { keys: ['p:i:triage:acknowledged', 'p:i:triage:resolved'], disjoint: true, exclude: false },
    ]);
    expect(g('new')).toEqual([
      { keys: ['p:i:triage:acknowledged', 'p:i:triage:resolved'], disjoint: true, exclude: true },
    ]);
    expect(g('new,resolved')).toEqual([{ keys: ['p:i:triage:acknowledged'], disjoint: true, exclude: true }]);
    expect(g('new,acknowledged,resolved')).toEqual([]);
    // the query the events are matched with leaves triage out (their JSON does not hold it)
    expect(planQuery({ triage: ['resolved'], filter: 'x' }, NOW, keys).q.triage).toBeUndefined();
    // counts: one positive triage index counts alone; an inverted one needs a scan
    expect(countKeys(planQuery({ triage: ['resolved'] }, NOW, keys), keys)).toEqual(['p:i:triage:resolved']);
    expect(countKeys(planQuery({ triage: ['new'] }, NOW, keys), keys)).toBeUndefined();
    expect(histogramFromIndexes(planQuery({ triage: ['new'] }, NOW, keys))).toBe(false);
  });

  it('turns since/from/to into time bounds on the events’ own times', () => {
    const plan = planQuery({ since: '1h', to: '2026-01-01T23:30:00Z' }, NOW, keys);
    expect(plan.lo).toBe(NOW - 3_600_000);
    expect(plan.hi).toBe(Date.parse('2026-01-01T23:30:00Z'));
    expect(emptyRange(plan)).toBe(false);
    expect(
      emptyRange(planQuery({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, NOW, keys)),
    ).toBe(true);
  });

  it('free text needs the event, prefiltered in Redis only when ASCII and verbatim in the JSON', () => {
    const ascii = planQuery({ filter: ' Shell ' }, NOW, keys);
    expect(ascii.needsEvent).toBe(true);
    expect(ascii.prefilter).toEqual({ lower: true, needles: ['shell'], inRedis: true });
    expect(planQuery({ filter: 'café' }, NOW, keys).prefilter).toEqual({
      lower: true,
      needles: ['café'],
      inRedis: false,
    });
    // a quote is escaped in the stored JSON: no substring prefilter, the lossless match decides
    const quoted = planQuery({ filter: 'say "hi"' }, NOW, keys);
    expect(quoted.needsEvent).toBe(true);
    expect(quoted.prefilter).toBeUndefined();
  });

  it('a pod filter looks for the exact Go-encoded field in the stored JSON', () => {
    const plan = planQuery({ pod: ['web-1', 'db-0'] }, NOW, keys);
    expect(plan.needsEvent).toBe(true);
    expect(plan.prefilter).toEqual({
      lower: false,
      needles: [`${goJsonString('k8s.pod.name')}:"web-1"`, `${goJsonString('k8s.pod.name')}:"db-0"`],
      inRedis: true,
    });
  });

  it('says which ZCOUNTs answer a count, and when only a scan can', () => {
    expect(countKeys(planQuery({}, NOW, keys), keys)).toEqual(['p:t']);
    expect(countKeys(planQuery({ priority: ['Error', 'Warning'] }, NOW, keys), keys)).toEqual([
      'p:i:priority:Error',
      'p:i:priority:Warning',
    ]);
    // an event with two tags would be counted twice; two conditions need an intersection
    expect(countKeys(planQuery({ tags: ['a', 'b'] }, NOW, keys), keys)).toBeUndefined();
    expect(countKeys(planQuery({ tags: ['a'] }, NOW, keys), keys)).toEqual(['p:i:tag:a']);
    expect(countKeys(planQuery({ rule: ['R'], source: ['syscall'] }, NOW, keys), keys)).toBeUndefined();
    expect(countKeys(planQuery({ filter: 'x' }, NOW, keys), keys)).toBeUndefined();
    // nothing can match an empty range, whatever else is asked
    const empty = planQuery(
      { filter: 'x', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      NOW,
      keys,
    );
    expect(countKeys(empty, keys)).toEqual([]);
  });

  it('groups by a value index only for an unfiltered query on an indexed field', () => {
    expect(groupDimension(planQuery({ since: '1h' }, NOW, keys), 'tags')).toBe('tag');
    expect(groupDimension(planQuery({}, NOW, keys), 'k8s.ns.name')).toBe('ns');
    expect(groupDimension(planQuery({}, NOW, keys), 'k8s.pod.name')).toBeUndefined();
    expect(groupDimension(planQuery({ rule: ['R'] }, NOW, keys), 'priority')).toBeUndefined();
    expect(groupDimension(planQuery({ filter: 'x' }, NOW, keys), 'priority')).toBeUndefined();
  });

  it('a histogram comes from the indexes when only priorities are filtered', () => {
    expect(histogramFromIndexes(planQuery({}, NOW, keys))).toBe(true);
    expect(histogramFromIndexes(planQuery({ priority: ['Error'] }, NOW, keys))).toBe(true);
    expect(histogramFromIndexes(planQuery({ rule: ['R'] }, NOW, keys))).toBe(false);
    expect(histogramFromIndexes(planQuery({ pod: ['p'] }, NOW, keys))).toBe(false);
  });

  it('lays out the histogram grid in buckets per priority, clipped to the query range', () => {
    const plan = planQuery(
      { priority: ['Error'], from: '1970-01-01T00:00:00.150Z', to: '1970-01-01T00:00:00.250Z' },
      NOW,
      keys,
    );
    expect(histogramGrid(plan, 100, 160, 240)).toEqual([
      { start: 100, priority: 'Error', min: '150', max: '(200' },
      { start: 200, priority: 'Error', min: '200', max: '250' },
    ]);
    // every priority when none is asked; too many cells: undefined (scan instead)
    const all = planQuery({}, NOW, keys);
    expect(histogramGrid(all, 1000, 0, 999)?.map((c) => c.priority)).toEqual([...PRIORITIES]);
    expect(histogramGrid(all, 1, 0, 9, 8 * 10)).toHaveLength(80);
    expect(histogramGrid(all, 1, 0, 10, 8 * 10)).toBeUndefined();
  });

  it('writes score bounds as Redis reads them, and knows which text the JSON holds verbatim', () => {
    expect([score(-Infinity), score(Infinity), score(5), score(5, true)]).toEqual([
      '-inf',
      '+inf',
      '5',
      '(5',
    ]);
    expect(prefilterable('bash -c')).toBe(true);
    for (const t of ['a"b', 'a\\b', '<x>', 'a&b', 'a,b', 'line\nbreak', 'x\u2028y'])
      expect(prefilterable(t)).toBe(false);
  });
});
