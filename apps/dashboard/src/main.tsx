import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient } from '@tanstack/react-query';
import { App } from './app/App';
import { basePath } from './app/base';
import { LiveConnector } from './live/connector';
import { createLiveSocket } from './live/socket';
import './styles.css';

const client = new QueryClient({
  defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: 1 } },
});
const connector = new LiveConnector(createLiveSocket(), client);
const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <App client={client} connector={connector} basename={basePath()} />
    </StrictMode>,
  );
}
