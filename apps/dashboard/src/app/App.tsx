import { useState } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { BrowserRouter, NavLink, Route, Routes, useNavigate } from 'react-router-dom';
import type { LiveConnector } from '../live/connector';
import { LiveProvider, useLiveRate, useLiveStatus } from '../live/LiveContext';
import { ExplorerPage } from '../pages/ExplorerPage';
import { LivePage } from '../pages/LivePage';
import { OutputsPage } from '../pages/OutputsPage';
import { OverviewPage } from '../pages/OverviewPage';
import { SpoolBanner } from '../components/SpoolBanner';
import { SilencesPage } from '../pages/SilencesPage';
import { useShortcuts } from './keyboard';
import { useTheme } from './theme';
import { LOGOUT_PATH } from '../api/auth';

export interface AppProps {
  client: QueryClient;
  connector: LiveConnector;
  basename: string;
}

export function App({ client, connector, basename }: AppProps) {
  return (
    <QueryClientProvider client={client}>
      <LiveProvider connector={connector}>
        <BrowserRouter basename={basename}>
          <Shell />
        </BrowserRouter>
      </LiveProvider>
    </QueryClientProvider>
  );
}

const PAGES = [
  { key: '1', to: '/', label: 'Live' },
  { key: '2', to: '/explorer', label: 'Explorer' },
  { key: '3', to: '/overview', label: 'Overview' },
  { key: '4', to: '/outputs', label: 'Outputs' },
  { key: '5', to: '/silences', label: 'Silences' },
] as const;

function Shell() {
  const navigate = useNavigate();
  const [theme, cycleTheme] = useTheme();
  const [help, setHelp] = useState(false);
  useShortcuts({
    '1': () => void navigate('/'),
    '2': () => void navigate('/explorer'),
    '3': () => void navigate('/overview'),
    '4': () => void navigate('/outputs'),
    '5': () => void navigate('/silences'),
    t: cycleTheme,
    '?': () => setHelp((h) => !h),
  });
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand" aria-label="Falconer">
          <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="var(--accent)" />
            <path d="M6 22c6-2 9-7 10-14 2 5 6 8 10 8-4 2-8 3-12 8-2-1-5-2-8-2z" fill="#fff" />
          </svg>
          Falconer
        </span>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <NavLink key={p.to} to={p.to} end={p.to === '/'} title={`${p.label} (${p.key})`}>
              {p.label}
            </NavLink>
          ))}
        </nav>
        <span className="spacer" />
        <ConnectionBadge />
        <button
          type="button"
          className="ghost"
          onClick={() => setHelp((h) => !h)}
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
        <button
          type="button"
          className="ghost"
          onClick={cycleTheme}
          title="Toggle theme (t)"
          aria-label="Toggle dark or light theme"
        >
          {theme === 'dark' ? '☀' : theme === 'light' ? '☾' : '◐'}
        </button>
        {/* a plain form: the browser sends it same-origin with the session cookie; the router answers
            with the sign-in page (or, with no users configured, the page shows again) */}
        <form method="post" action={LOGOUT_PATH} className="signout">
          <button type="submit" className="ghost" title="Sign out">
            Sign out
          </button>
        </form>
      </header>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      <SpoolBanner />
      <main id="main">
        <Routes>
          <Route path="/" element={<LivePage />} />
          <Route path="/explorer" element={<ExplorerPage />} />
          <Route path="/overview" element={<OverviewPage />} />
          <Route path="/outputs" element={<OutputsPage />} />
          <Route path="/silences" element={<SilencesPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </div>
  );
}

function ConnectionBadge() {
  const status = useLiveStatus();
  const rate = useLiveRate();
  const label = status === 'live' ? `live · ${rate.perSecond}/s` : status;
  return (
    <span className={`conn conn-${status}`} role="status" aria-live="polite" data-testid="connection">
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const rows: [string, string][] = [
    ['1 2 3 4 5', 'Live, Explorer, Overview, Outputs, Silences'],
    ['j / k or ↓ / ↑', 'Move through events'],
    ['Enter', 'Open the selected event'],
    ['Esc', 'Close the event drawer'],
    ['Space', 'Pause or resume the live feed'],
    ['Home', 'Back to the newest event'],
    ['/', 'Search (Explorer)'],
    ['t', 'Dark or light theme'],
  ];
  return (
    <div className="help" role="dialog" aria-label="Keyboard shortcuts">
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>
        This page does not exist. <NavLink to="/">Back to the live feed</NavLink>
      </p>
    </section>
  );
}
