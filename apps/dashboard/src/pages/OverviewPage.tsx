import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { PRIORITIES, type EventQuery } from '@falconer/contracts';
import { formatTime, priorityKey } from '../api/events';
import { useCount, useCountBy, useHistogram } from '../api/hooks';
import { queryToParams } from '../api/query';
import { StackedHistogram, TopList } from '../components/Charts';
import { PriorityBadge } from '../components/Priority';
import { useFeed, useLiveRate, useLiveStats } from '../live/LiveContext';

const MINUTE = 60_000;
/** Range → its span and bucket width (ms); about 30–60 bars whatever the range. */
const RANGES: Record<string, { spanMs: number; interval: string; intervalMs: number }> = {
  '15m': { spanMs: 15 * MINUTE, interval: '30s', intervalMs: MINUTE / 2 },
  '1h': { spanMs: 60 * MINUTE, interval: '1m', intervalMs: MINUTE },
  '6h': { spanMs: 6 * 60 * MINUTE, interval: '10m', intervalMs: 10 * MINUTE },
  '24h': { spanMs: 24 * 60 * MINUTE, interval: '30m', intervalMs: 30 * MINUTE },
  '7d': { spanMs: 7 * 24 * 60 * MINUTE, interval: '4h', intervalMs: 4 * 60 * MINUTE },
};

export function OverviewPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const sinceParam = params.get('since') ?? '1h';
  const since = sinceParam in RANGES ? sinceParam : '1h';
  const range = RANGES[since] ?? { spanMs: 60 * MINUTE, interval: '1m', intervalMs: MINUTE };
  const q: EventQuery = { since };
  const total = useCount(q);
  const byPriority = useCountBy('priority', q);
  const rules = useCountBy('rule', q);
  const namespaces = useCountBy('k8s.ns.name', q);
  const hosts = useCountBy('hostname', q);
  const tags = useCountBy('tags', q);
  const sources = useCountBy('source', q);
  const histogram = useHistogram(since, range.interval);
  // the range ends when the server answered (the chart does not slide between two answers)
  const [openedAt] = useState(() => Date.now());
  const chartTo = histogram.dataUpdatedAt > 0 ? histogram.dataUpdatedAt : openedAt;
  const rate = useLiveRate();
  const stats = useLiveStats();
  const feed = useFeed();
  const latest = feed.store.newest(8);
  const errors = [total, byPriority, rules, histogram].filter((r) => r.isError);

  const explore = (extra: EventQuery): void => {
    const search = new URLSearchParams(queryToParams({ since, ...extra }) as Record<string, string>);
    void navigate(`/explorer?${search.toString()}`);
  };
  const serverRate =
    stats === null ? undefined : Object.values(stats.rates).reduce((a, n) => a + (n ?? 0), 0);

  return (
    <section className="page overview" aria-labelledby="overview-title">
      <div className="toolbar">
        <h1 id="overview-title">Overview</h1>
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Time range">
          {Object.keys(RANGES).map((r) => (
            <button key={r} type="button" aria-pressed={r === since} onClick={() => setParams({ since: r })}>
              {r}
            </button>
          ))}
        </div>
      </div>
      {errors.length > 0 && (
        <p className="error" role="alert">
          Some statistics could not be loaded: {errors[0]?.error?.message}
        </p>
      )}
      <div className="counters">
        <div className="counter card" data-testid="counter-total">
          <span className="counter-value">{(total.data?.statistics.all ?? 0).toLocaleString()}</span>
          <span className="counter-label">events, last {since}</span>
        </div>
        <div className="counter card">
          <span className="counter-value" data-testid="counter-rate">
            {(serverRate ?? rate.perSecond).toLocaleString(undefined, { maximumFractionDigits: 1 })}
          </span>
          <span className="counter-label">events/s now</span>
        </div>
        {PRIORITIES.slice(0, 5).map((p) => (
          <button
            key={p}
            type="button"
            className={`counter card prio-${priorityKey(p)}-card`}
            onClick={() => explore({ priority: [p] })}
          >
            <span className="counter-value">{(byPriority.data?.results[p] ?? 0).toLocaleString()}</span>
            <span className="counter-label">{p}</span>
          </button>
        ))}
      </div>
      <section className="card" aria-label="Events over time">
        <h2>
          Events over time <span className="muted">(per {range.interval})</span>
        </h2>
        <StackedHistogram
          buckets={histogram.data?.buckets ?? []}
          from={chartTo - range.spanMs}
          to={chartTo}
          intervalMs={range.intervalMs}
        />
        <ul className="legend">
          {PRIORITIES.map((p) => (
            <li key={p}>
              <span className={`swatch fill-${p.toLowerCase()}`} aria-hidden="true" />
              {p}
            </li>
          ))}
        </ul>
      </section>
      <div className="grid-cards">
        <TopList
          title="Top rules"
          counts={rules.data?.results}
          onPick={(v) => explore({ rule: [v] })}
          testId="top-rules"
        />
        <TopList
          title="Top namespaces"
          counts={namespaces.data?.results}
          onPick={(v) => explore({ namespace: [v] })}
        />
        <TopList title="Top hosts" counts={hosts.data?.results} onPick={(v) => explore({ hostname: [v] })} />
        <TopList title="Tags" counts={tags.data?.results} onPick={(v) => explore({ tags: [v] })} />
        <TopList title="Sources" counts={sources.data?.results} onPick={(v) => explore({ source: [v] })} />
        <section className="card" aria-label="Latest events">
          <h2>Latest</h2>
          {latest.length === 0 ? (
            <p className="muted">No events since this page opened.</p>
          ) : (
            <ul className="latest">
              {latest.map((e) => (
                <li key={e.uuid}>
                  <PriorityBadge priority={e.priority} /> <span className="ellipsis">{e.rule}</span>
                  <span className="muted mono">{formatTime(e.time).slice(11)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
