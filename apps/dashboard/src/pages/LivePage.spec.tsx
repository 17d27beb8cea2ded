import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen } from '@testing-library/react';
import { eventJson, stubFetch } from '../testing/fixtures';
import { renderPage } from '../testing/render';
import { LivePage } from './LivePage';

// jsdom has no layout: give the virtualised list a viewport so it renders rows
const sizes = { clientHeight: 600, clientWidth: 1200 };
const saved: PropertyDescriptor[] = [];
beforeAll(() => {
  for (const [k, v] of Object.entries(sizes)) {
    saved.push(Object.getOwnPropertyDescriptor(Element.prototype, k) as PropertyDescriptor);
    Object.defineProperty(Element.prototype, k, { configurable: true, get: () => v });
  }
});
afterAll(() => {
  Object.keys(sizes).forEach((k, i) =>
    Object.defineProperty(Element.prototype, k, saved[i] as PropertyDescriptor),
  );
});
afterEach(() => vi.unstubAllGlobals());

const rowUuids = (): string[] =>
  [...document.querySelectorAll('.feed-row')].map((r) => r.getAttribute('data-uuid') ?? '');

describe('LivePage', () => {
  it('streams events in newest first, with priority colours', async () => {
    stubFetch({ '/api/v1/events/search': { text: '{"statistics":{"all":0},"results":[]}' } });
    const { socket } = renderPage(<LivePage />);
    act(() => {
      socket.push('event', eventJson({ uuid: 'a', priority: 'Notice' }));
      socket.push('event', eventJson({ uuid: 'b', priority: 'Critical' }));
    });
    await vi.waitFor(() => expect(rowUuids()).toEqual(['b', 'a']));
    expect(document.querySelector('[data-uuid="b"]')?.className).toContain('prio-critical-row');
    expect(screen.getByTestId('row-count').textContent).toBe('2 events');
  });

  it('pauses: rows stay still, a marker counts new events, resume shows them', async () => {
    stubFetch({ '/api/v1/events/search': { text: '{"statistics":{"all":0},"results":[]}' } });
    const { socket } = renderPage(<LivePage />);
    act(() => socket.push('event', eventJson({ uuid: 'first' })));
    await vi.waitFor(() => expect(rowUuids()).toEqual(['first']));
    fireEvent.click(screen.getByTestId('pause'));
    act(() => {
      for (let i = 0; i < 3; i++) socket.push('event', eventJson({ uuid: `n${i}` }));
    });
    await vi.waitFor(() => expect(screen.getByTestId('new-marker').textContent).toBe('↑ 3 new'));
    expect(rowUuids()).toEqual(['first']);
    fireEvent.keyDown(window, { key: ' ' });
    await vi.waitFor(() => expect(rowUuids()).toEqual(['n2', 'n1', 'n0', 'first']));
    expect(screen.queryByTestId('new-marker')).toBeNull();
  });

  it('moves with the keyboard and opens the selected event', async () => {
    stubFetch({ '/api/v1/events/search': { text: '{"statistics":{"all":0},"results":[]}' } });
    const { socket } = renderPage(<LivePage />);
    act(() => {
      socket.push('event', eventJson({ uuid: 'k1' }));
      socket.push('event', eventJson({ uuid: 'k2' }));
    });
    await vi.waitFor(() => expect(rowUuids()).toEqual(['k2', 'k1']));
    const feed = screen.getByTestId('feed');
    fireEvent.keyDown(feed, { key: 'j' });
    fireEvent.keyDown(feed, { key: 'j' });
    expect(feed.getAttribute('aria-activedescendant')).toBe('ev-k1');
    fireEvent.keyDown(feed, { key: 'Enter' });
    const drawer = await screen.findByTestId('event-drawer');
    expect(drawer.querySelector('[data-field="evt.time"] td')?.textContent).toBe('1507591916746609046');
  });

  it('follows the priorities chosen in the URL with its one subscription', async () => {
    stubFetch({ '/api/v1/events/search': { text: '{"statistics":{"all":0},"results":[]}' } });
    const { socket } = renderPage(<LivePage />, '/?priority=Critical');
    await vi.waitFor(() =>
      expect(socket.sent.filter((s) => s.event === 'subscribe').at(-1)?.args[0]).toEqual({
        priority: ['Critical'],
      }),
    );
  });

  it('shows each row triage state; an operator acknowledges from the row', async () => {
    const history =
      `{"statistics":{"all":1},"results":[${eventJson({ uuid: 'old' }).slice(0, -1)},` +
      `"triage":{"state":"resolved","by":"bob","at":"2026-11-22T10:00:00Z"}}]}`;
    const calls = stubFetch({
      '/api/v1/events/search': { text: history },
      '/api/v1/whoami': { text: '{"username":"alice","role":"operator"}' },
      '/api/v1/events/fresh/triage': {
        text: '{"uuid":"fresh","changed":true,"triage":{"state":"acknowledged","by":"alice","at":"2026-11-22T10:01:00Z"}}',
      },
    });
    const { socket } = renderPage(<LivePage />);
    act(() => socket.push('event', eventJson({ uuid: 'fresh' })));
    await vi.waitFor(() => expect(rowUuids()).toEqual(['fresh', 'old']));
    const state = (uuid: string): string | null | undefined =>
      document
        .querySelector(`[data-uuid="${uuid}"] [data-testid="triage-state"]`)
        ?.getAttribute('data-state');
    expect(state('old')).toBe('resolved');
    expect(state('fresh')).toBe('new');
    const ack = await vi.waitFor(() => {
      const b = document.querySelector<HTMLButtonElement>(
        '[data-uuid="fresh"] [data-testid="triage-acknowledged"]',
      );
      if (b === null) throw new Error('no button yet');
      return b;
    });
    fireEvent.click(ack);
    await vi.waitFor(() => expect(state('fresh')).toBe('acknowledged'));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.url).toBe('/api/v1/events/fresh/triage');
    expect(patch?.body).toBe('{"state":"acknowledged"}');
    // the click acted on the row's button only: no drawer opened
    expect(screen.queryByTestId('event-drawer')).toBeNull();
    // a change pushed by another dashboard
    act(() =>
      socket.push('triage', {
        uuids: ['old'],
        triage: { state: 'new', by: 'carol', at: '2026-11-22T10:02:00Z' },
      }),
    );
    await vi.waitFor(() => expect(state('old')).toBe('new'));
  });

  it('shows a viewer the states without buttons', async () => {
    stubFetch({
      '/api/v1/events/search': { text: '{"statistics":{"all":0},"results":[]}' },
      '/api/v1/whoami': { text: '{"username":"victor","role":"viewer"}' },
    });
    const { socket, client } = renderPage(<LivePage />);
    act(() => socket.push('event', eventJson({ uuid: 'v1' })));
    await vi.waitFor(() => expect(rowUuids()).toEqual(['v1']));
    await vi.waitFor(() => expect(client.getQueryData(['whoami'])).toBeDefined());
    expect(document.querySelector('[data-uuid="v1"] [data-testid="triage-state"]')).not.toBeNull();
    expect(
      document.querySelectorAll('[data-testid^="triage-"] button, [data-testid="triage-acknowledged"]'),
    ).toHaveLength(0);
  });
});
