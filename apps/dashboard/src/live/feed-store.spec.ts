import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../api/events';
import { FeedStore } from './feed-store';

const ev = (uuid: string) =>
  normalizeEvent({ uuid, priority: 'Notice', rule: 'r', time: '2026-11-22T00:00:00Z' });

describe('FeedStore', () => {
  it('shows newest first and ignores duplicates', () => {
    const s = new FeedStore(10);
    expect(s.add(ev('a'))).toBe(true);
    s.add(ev('b'));
    expect(s.add(ev('a'))).toBe(false);
    expect(s.viewLength(s.total)).toBe(2);
    expect(s.at(s.total, 0)?.uuid).toBe('b');
    expect(s.at(s.total, 1)?.uuid).toBe('a');
  });

  it('keeps an anchored view still while events arrive', () => {
    const s = new FeedStore(100);
    for (let i = 0; i < 5; i++) s.add(ev(`e${i}`));
    const anchor = s.total;
    for (let i = 5; i < 9; i++) s.add(ev(`e${i}`));
    expect(s.viewLength(anchor)).toBe(5);
    expect(s.at(anchor, 0)?.uuid).toBe('e4');
    expect(s.total - anchor).toBe(4); // the "N new" marker
  });

  it('holds at most `capacity` events and forgets evicted uuids', () => {
    const s = new FeedStore(50_000);
    for (let i = 0; i < 60_000; i++) s.add(ev(`e${i}`));
    expect(s.viewLength(s.total)).toBe(50_000);
    expect(s.at(s.total, 0)?.uuid).toBe('e59999');
    expect(s.at(s.total, 49_999)?.uuid).toBe('e10000');
    expect(s.at(s.total, 50_000)).toBeUndefined();
    expect(s.has('e9999')).toBe(false);
    expect(s.newest(2).map((e) => e.uuid)).toEqual(['e59999', 'e59998']);
  });
});
