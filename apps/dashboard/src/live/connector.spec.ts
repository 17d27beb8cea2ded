import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { EventDetail, LosslessNumber } from '@falconer/contracts';
import { normalizeEvent } from '../api/events';
import { FakeSocket } from '../testing/fake-socket';
import { eventJson, stubFetch } from '../testing/fixtures';
import { LiveConnector } from './connector';
import { keys, type TriageSnapshot, type FeedSnapshot, type LiveStatus } from './keys';

afterEach(() => vi.unstubAllGlobals());

function setup(history: string[] = []) {
  const calls = stubFetch({
    '/api/v1/events/search': {
      text: `{"statistics":{"all":${history.length}},"results":[${history.join(',')}]}`,
    },
  });
  const socket = new FakeSocket();
  const client = new QueryClient();
  const connector = new LiveConnector(socket.asSocket(), client, { flushMs: 5, refreshMs: 20 });
  const feed = (): FeedSnapshot => client.getQueryData<FeedSnapshot>(keys.feed) as FeedSnapshot;
  const uuids = (): string[] =>
    feed()
      .store.newest(100)
      .map((e) => e.uuid);
  return { calls, socket, client, connector, feed, uuids };
}

describe('LiveConnector (one subscription feeding the query cache)', () => {
  it('subscribes on connect, primes from history, then adds live events on top', async () => {
    const { socket, client, connector, calls, uuids } = setup([
      eventJson({ uuid: 'h2' }),
      eventJson({ uuid: 'h1' }),
    ]);
    connector.start();
    expect(client.getQueryData<LiveStatus>(keys.status)).toBe('live');
    expect(socket.sent.filter((s) => s.event === 'subscribe')).toHaveLength(1);
    socket.push('event', eventJson({ uuid: 'live1' }));
    await vi.waitFor(() => expect(uuids()).toEqual(['live1', 'h2', 'h1']));
    expect(calls[0]?.url).toContain('/api/v1/events/search?limit=200&page=1');
    connector.stop();
  });

  it('parses pushed JSON text losslessly and batches many events into few cache updates', async () => {
    const { socket, connector, feed } = setup();
    connector.start();
    await vi.waitFor(() => expect(feed().version).toBeGreaterThan(0));
    const before = feed().version;
    for (let i = 0; i < 1000; i++)
      socket.push('event', eventJson({ evtTime: `150759191674660${String(i).padStart(4, '0')}` }));
    await vi.waitFor(() => expect(feed().store.total).toBe(1000));
    expect(feed().version - before).toBeLessThan(10);
    const newest = feed().store.at(feed().store.total, 0);
    expect((newest?.output_fields['evt.time'] as LosslessNumber).text).toBe('1507591916746600999');
    expect(newest?.tags).toEqual([]);
    expect(newest?.hostname).toBe('');
    connector.stop();
  });

  it('patches cached event details with delivery and remediation pushes', () => {
    const { socket, client, connector } = setup();
    connector.start();
    const event = normalizeEvent({ uuid: 'u1', priority: 'Critical', rule: 'r', time: 't' });
    client.setQueryData<EventDetail>(keys.event('u1'), {
      event,
      deliveries: [{ output: 'slack', state: 'retrying', attempts: 1, updatedAt: 't' }],
      remediations: [],
      triage: { state: 'new' },
      triageHistory: [],
      attempts: [{ output: 'slack', attempt: 1, state: 'retrying', at: 't' }],
    });
    socket.push('delivery', {
      uuid: 'u1',
      status: { output: 'slack', state: 'delivered', attempts: 2, reason: 'ok', updatedAt: 't2' },
    });
    socket.push('remediation', { uuid: 'u1', rule: 'r', action: 'delete-pod', outcome: 'acted', at: 't3' });
    const detail = client.getQueryData<EventDetail>(keys.event('u1'));
    expect(detail?.deliveries).toEqual([
      { output: 'slack', state: 'delivered', attempts: 2, reason: 'ok', updatedAt: 't2' },
    ]);
    expect(detail?.remediations.map((r) => r.action)).toEqual(['delete-pod']);
    expect(detail?.attempts.map((a) => [a.attempt, a.state])).toEqual([
      [1, 'retrying'],
      [2, 'delivered'],
    ]);
    connector.stop();
  });

  it('follows triage changes: the feed marks, cached details and history', async () => {
    const { socket, client, connector, uuids } = setup();
    connector.start();
    socket.push('event', eventJson({ uuid: 't1' }));
    socket.push('event', eventJson({ uuid: 't2' }));
    await vi.waitFor(() => expect(uuids()).toEqual(['t2', 't1']));
    const event = normalizeEvent({ uuid: 't1', priority: 'Critical', rule: 'r', time: 't' });
    client.setQueryData<EventDetail>(keys.event('t1'), {
      event,
      deliveries: [],
      remediations: [],
      triage: { state: 'new' },
      triageHistory: [],
      attempts: [],
    });
    const ack = { state: 'acknowledged' as const, by: 'alice', at: '2026-11-22T10:00:00Z' };
    socket.push('triage', { uuids: ['t1', 'elsewhere'], triage: ack });
    const marks = client.getQueryData<TriageSnapshot>(keys.triage)?.marks;
    expect([...(marks ?? new Map()).entries()]).toEqual([['t1', ack]]);
    expect(client.getQueryData<EventDetail>(keys.event('t1'))?.triage).toEqual(ack);
    expect(client.getQueryData<EventDetail>(keys.event('t1'))?.triageHistory).toEqual([ack]);
    // the same change again (this page's own action, then the push) is recorded once
    socket.push('triage', { uuids: ['t1'], triage: ack });
    expect(client.getQueryData<EventDetail>(keys.event('t1'))?.triageHistory).toEqual([ack]);
    socket.push('triage', { uuids: ['t1'], triage: { state: 'new', by: 'bob', at: '2026-11-22T10:01:00Z' } });
    expect(client.getQueryData<TriageSnapshot>(keys.triage)?.marks.size).toBe(0);
    connector.stop();
  });

  it('refills from history when the server reports it dropped events', async () => {
    const { socket, connector, calls, feed, uuids } = setup();
    connector.start();
    socket.push('event', eventJson({ uuid: 'a' }));
    await vi.waitFor(() => expect(uuids()).toEqual(['a']));
    stubFetch({
      '/api/v1/events/search': {
        text: `{"statistics":{"all":3},"results":[${eventJson({ uuid: 'c' })},${eventJson({ uuid: 'b' })},${eventJson({ uuid: 'a' })}]}`,
      },
    });
    socket.push('lagging', { dropped: 2 });
    await vi.waitFor(() => expect(uuids()).toEqual(['c', 'b', 'a']));
    expect(feed().dropped).toBe(2);
    expect(calls).toHaveLength(1);
    connector.stop();
  });

  it('re-sends its one subscription when the followed filter changes', async () => {
    const { socket, connector, uuids } = setup();
    connector.start();
    socket.push('event', eventJson({ uuid: 'x' }));
    await vi.waitFor(() => expect(uuids()).toEqual(['x']), { timeout: 3000 });
    connector.setQuery({ priority: ['Critical'] });
    expect(uuids()).toEqual([]);
    const subs = socket.sent.filter((s) => s.event === 'subscribe');
    expect(subs).toHaveLength(2);
    expect(subs[1]?.args[0]).toEqual({ priority: ['Critical'] });
    connector.stop();
  });

  it('refreshes overview aggregates while events arrive, not per event', async () => {
    const { socket, client, connector } = setup();
    const invalidate = vi.spyOn(client, 'invalidateQueries');
    connector.start();
    for (let i = 0; i < 50; i++) socket.push('event', eventJson());
    await vi.waitFor(() => expect(invalidate).toHaveBeenCalledWith({ queryKey: keys.overview }));
    expect(invalidate.mock.calls.length).toBeLessThan(5);
    connector.stop();
  });
});
