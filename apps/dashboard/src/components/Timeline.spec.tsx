import { describe, expect, it } from 'vitest';
import { render, within } from '@testing-library/react';
import type { EventDetail } from '@falconer/contracts';
import { parseEvent } from '../api/events';
import { eventJson } from '../testing/fixtures';
import { Timeline, timelineSteps } from './Timeline';

const base = (over: Partial<EventDetail> = {}): EventDetail => ({
  event: parseEvent(eventJson({ uuid: 'tl1' })),
  deliveries: [],
  remediations: [],
  triage: { state: 'new' },
  triageHistory: [],
  attempts: [],
  ...over,
});

describe('Timeline', () => {
  it('tells received → routed → each attempt → remediation → triage, in time order', () => {
    const detail = base({
      routing: {
        receivedAt: '2026-11-22T10:00:00.100Z',
        matched: ['slack', 'webhook', 'pager'],
        filtered: ['es'],
      },
      attempts: [
        { output: 'pager', attempt: 0, state: 'silenced', detail: 'sil-42', at: '2026-11-22T10:00:00.100Z' },
        { output: 'slack', attempt: 1, state: 'delivered', reason: 'ok', at: '2026-11-22T10:00:00.300Z' },
        {
          output: 'webhook',
          attempt: 1,
          state: 'retrying',
          reason: 'server_error',
          detail: 'HTTP 502',
          at: '2026-11-22T10:00:00.200Z',
        },
        {
          output: 'webhook',
          attempt: 2,
          state: 'dead_lettered',
          reason: 'client_error',
          detail: 'HTTP 400',
          at: '2026-11-22T10:00:01.000Z',
        },
      ],
      remediations: [
        {
          uuid: 'tl1',
          rule: 'r',
          action: 'delete_pod',
          outcome: 'dry_run',
          reason: 'dry run',
          at: '2026-11-22T10:00:00.500Z',
        },
      ],
      triageHistory: [{ state: 'acknowledged', by: 'alice', at: '2026-11-22T10:05:00Z' }],
    });
    const { getByTestId } = render(<Timeline detail={detail} />);
    const items = within(getByTestId('timeline')).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-kind'))).toEqual([
      'received',
      'routed',
      'silenced',
      'attempt',
      'attempt',
      'remediation',
      'attempt',
      'triage',
    ]);
    const text = items.map((li) => li.querySelector('span')?.textContent);
    expect(text).toEqual([
      'Received by the router',
      'Routed: matched slack, webhook; silenced pager; filtered out es',
      'pager: silenced by sil-42',
      'webhook: attempt 1 failed, will retry (server_error — HTTP 502)',
      'slack: attempt 1 delivered',
      'Remediation delete_pod: dry run — dry run',
      'webhook: attempt 2 failed, dead-lettered (client_error — HTTP 400)',
      'Acknowledged by alice',
    ]);
    // each step carries its time
    expect(items[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-22T10:00:00.100Z');
    expect(items.map((li) => li.className.match(/tone-(\w+)/)?.[1])).toEqual([
      'neutral',
      'neutral',
      'warn',
      'warn',
      'ok',
      'neutral',
      'bad',
      'neutral',
    ]);
  });

  it('shows an event the router only recorded, events before routing was kept, and silence ids on the event', () => {
    const historyOnly = timelineSteps(
      base({ routing: { receivedAt: '2026-11-22T10:00:00Z', matched: [], filtered: [], historyOnly: true } }),
    );
    expect(historyOnly.map((s) => s.text)).toEqual([
      'Received by the router',
      'Routed: recorded for history only (routed by the sender)',
    ]);
    const none = timelineSteps(
      base({ routing: { receivedAt: '2026-11-22T10:00:00Z', matched: [], filtered: ['a', 'b'] } }),
    );
    expect(none[1]?.text).toBe('Routed: no output matched; filtered out a, b');
    const old = timelineSteps(base());
    expect(old).toEqual([
      {
        at: '2026-11-22T10:00:00.000000001Z',
        kind: 'received',
        text: 'Raised by Falco (routing not recorded)',
        tone: 'neutral',
      },
    ]);
    const silenced = base({ routing: { receivedAt: '2026-11-22T10:00:00Z', matched: ['a'], filtered: [] } });
    const marked = { ...silenced, event: { ...silenced.event, silenced: ['sil-1', 'sil-2'] } };
    expect(timelineSteps(marked).map((s) => s.text)).toContain('Silenced by sil-1, sil-2');
  });
});
