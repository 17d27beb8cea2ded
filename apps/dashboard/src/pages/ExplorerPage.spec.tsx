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
});
