import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router-dom';
import { eventJson, stubFetch } from '../testing/fixtures';
import { renderPage } from '../testing/render';
import { ExplorerPage } from './ExplorerPage';

afterEach(() => vi.unstubAllGlobals());

function Location() {
  const loc = useLocation();
  return <output data-testid="location">{loc.pathname + loc.search}</output>;
}

describe('ExplorerPage', () => {
  it('searches with the filters from the URL and writes new filters back to it', async () => {
    const calls = stubFetch({
      '/api/v1/events/search': {
        text: `{"statistics":{"all":1},"results":[${eventJson({ uuid: 'r1', ns: 'shop', hostname: 'worker-1' })}]}`,
      },
    });
    renderPage(
      <Routes>
        <Route
          path="/explorer"
          element={
            <>
              <ExplorerPage />
              <Location />
            </>
          }
        />
      </Routes>,
      '/explorer?priority=Critical&namespace=shop',
    );
    expect(await screen.findByText('worker-1')).toBeTruthy();
    expect(calls[0]?.url).toBe('/api/v1/events/search?priority=Critical&namespace=shop&page=1&limit=100');
    expect(screen.getByTestId('export-ndjson').getAttribute('href')).toBe(
      '/api/v1/events/export?priority=Critical&namespace=shop',
    );

    fireEvent.change(screen.getByPlaceholderText(/output, rule, tags/), { target: { value: 'bash' } });
    fireEvent.change(screen.getByLabelText('Host'), { target: { value: 'worker-1, worker-2' } });
    fireEvent.submit(screen.getByTestId('filters'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('location').textContent).toBe(
        '/explorer?priority=Critical&hostname=worker-1%2Cworker-2&namespace=shop&filter=bash',
      ),
    );
    await vi.waitFor(() => expect(calls.some((c) => c.url.includes('filter=bash'))).toBe(true));
  });

  it('opens the detail drawer from the table and keeps it in the URL', async () => {
    stubFetch({
      '/api/v1/events/search': { text: `{"statistics":{"all":1},"results":[${eventJson({ uuid: 'r2' })}]}` },
    });
    renderPage(
      <Routes>
        <Route
          path="/explorer"
          element={
            <>
              <ExplorerPage />
              <Location />
            </>
          }
        />
      </Routes>,
      '/explorer',
    );
    const body = await screen.findByTestId('results');
    await vi.waitFor(() => expect(body.querySelectorAll('tr')).toHaveLength(1));
    fireEvent.keyDown(body, { key: 'Enter' });
    const drawer = await screen.findByTestId('event-drawer');
    expect(drawer.querySelector('[data-field="evt.time"] td')?.textContent).toBe('1507591916746609046');
    expect(screen.getByTestId('location').textContent).toBe('/explorer?event=r2');
  });

  it('filters by triage state, shows each row state, and bulk-changes the filtered set after a confirmation', async () => {
    const resolved = `${eventJson({ uuid: 'b1', hostname: 'w-1' }).slice(0, -1)},"triage":{"state":"resolved","by":"bob","at":"2026-11-22T10:00:00Z"}}`;
    const calls = stubFetch({
      '/api/v1/events/search': {
        text: `{"statistics":{"all":12},"results":[${resolved},${eventJson({ uuid: 'b2', hostname: 'w-2' })}]}`,
      },
      '/api/v1/whoami': { text: '{"username":"alice","role":"operator"}' },
      '/api/v1/events/triage': { text: '{"changed":11,"unchanged":1,"notFound":0,"truncated":false}' },
    });
    renderPage(
      <Routes>
        <Route
          path="/explorer"
          element={
            <>
              <ExplorerPage />
              <Location />
            </>
          }
        />
      </Routes>,
      '/explorer?rule=Write%20below%20binary%20dir&triage=new,resolved',
    );
    expect(await screen.findByText('w-1')).toBeTruthy();
    expect(calls[0]?.url).toContain('triage=new%2Cresolved');
    const states = [...document.querySelectorAll('[data-testid="results"] [data-testid="triage-state"]')].map(
      (e) => e.getAttribute('data-state'),
    );
    expect(states).toEqual(['resolved', 'new']);
    fireEvent.click(await screen.findByTestId('bulk-acknowledged'));
    expect(screen.getByTestId('bulk-confirm').textContent).toContain(
      'Acknowledge 12 events matching this filter?',
    );
    fireEvent.click(screen.getByTestId('bulk-confirm-yes'));
    expect((await screen.findByTestId('bulk-result')).textContent).toBe('11 changed, 1 already so');
    const post = calls.find((c) => c.method === 'POST');
    expect(JSON.parse(post?.body ?? '')).toEqual({
      state: 'acknowledged',
      query: { rule: 'Write below binary dir', triage: 'new,resolved' },
    });
    expect(screen.getByTestId<HTMLSelectElement>('triage-filter').value).toBe('new,resolved');
    // the state filter writes `triage` to the URL

    fireEvent.change(screen.getByTestId('triage-filter'), { target: { value: 'acknowledged' } });
    fireEvent.submit(screen.getByTestId('filters'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('location').textContent).toContain('triage=acknowledged'),
    );
  });
});
