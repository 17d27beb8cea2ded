import type { ReactElement } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { LiveConnector } from '../live/connector';
import { LiveProvider } from '../live/LiveContext';
import { FakeSocket } from './fake-socket';

export interface Rendered extends RenderResult {
  socket: FakeSocket;
  client: QueryClient;
  connector: LiveConnector;
}

/** Renders a page inside the same providers as the app, with a fake socket and a given URL. */
export function renderPage(ui: ReactElement, url = '/'): Rendered {
  const socket = new FakeSocket();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const connector = new LiveConnector(socket.asSocket(), client, { flushMs: 5, refreshMs: 50 });
  const result = render(
    <QueryClientProvider client={client}>
      <LiveProvider connector={connector}>
        <MemoryRouter initialEntries={[url]}>{ui}</MemoryRouter>
      </LiveProvider>
    </QueryClientProvider>,
  );
  return { ...result, socket, client, connector };
}
