import { PRIORITIES, type HistogramBucket } from '@falconer/contracts';

/** Stacked bars of events per time bucket, one colour per priority (most severe on top). */
export function StackedHistogram({ buckets, height = 220 }: { buckets: HistogramBucket[]; height?: number }) {
  const width = 900;
  const pad = { left: 44, right: 8, top: 8, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const totals = buckets.map((b) => Object.values(b.counts).reduce((a, n) => a + n, 0));
  const max = Math.max(1, ...totals);
  const step = buckets.length === 0 ? innerW : innerW / buckets.length;
  const barW = Math.max(1, step * 0.8);
  const ticks = [...new Set([0, Math.round(max / 2), max])];
  const label = (iso: string): string => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  };
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  const order = [...PRIORITIES].reverse(); // Debug at the bottom, Emergency on top
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="Events over time by priority"
    >
      {ticks.map((t) => {
        const y = pad.top + innerH - (t / max) * innerH;
        return (
          <g key={t}>
            <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} className="gridline" />
            <text x={pad.left - 6} y={y + 4} textAnchor="end" className="axis">
              {t}
            </text>
          </g>
        );
      })}
      {buckets.map((b, i) => {
        let y = pad.top + innerH;
        const x = pad.left + i * step + (step - barW) / 2;
        return (
          <g key={b.time}>
            <title>{`${b.time}: ${totals[i] ?? 0} events`}</title>
            {order.map((p) => {
              const n = b.counts[p] ?? 0;
              if (n === 0) return null;
              const h = (n / max) * innerH;
              y -= h;
              return (
                <rect key={p} x={x} y={y} width={barW} height={h} className={`fill-${p.toLowerCase()}`} />
              );
            })}
            {i % labelEvery === 0 && (
              <text x={x + barW / 2} y={height - 6} textAnchor="middle" className="axis">
                {label(b.time)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** Horizontal bars for a top-N list; each entry can link somewhere (the explorer, filtered). */
export function TopList({
  title,
  counts,
  limit = 8,
  onPick,
  testId,
}: {
  title: string;
  counts: Record<string, number> | undefined;
  limit?: number;
  onPick?: (value: string) => void;
  testId?: string;
}) {
  const entries = Object.entries(counts ?? {})
    .filter(([k]) => k !== '')
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return (
    <section className="card" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      {entries.length === 0 ? (
        <p className="muted">No data.</p>
      ) : (
        <ol className="toplist">
          {entries.map(([k, n]) => (
            <li key={k}>
              <button
                type="button"
                className="bar-row"
                onClick={onPick === undefined ? undefined : () => onPick(k)}
                disabled={onPick === undefined}
                title={k}
              >
                <span className="bar" style={{ width: `${(n / max) * 100}%` }} aria-hidden="true" />
                <span className="bar-label ellipsis">{k}</span>
                <span className="bar-value">{n.toLocaleString()}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
