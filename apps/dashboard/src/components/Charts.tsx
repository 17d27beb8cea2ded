import { PRIORITIES, type HistogramBucket } from '@falconer/contracts';
import { timeSlots, timeTicks } from './time-axis';

/**
 * Stacked bars of events per time bucket, one colour per priority (most severe on top). The x-axis is time:
 * one slot per bucket over the whole range `[from, to]` (epoch ms), empty buckets at zero, and ticks at
 * round times of the user's time zone.
 */
export function StackedHistogram({
  buckets,
  from,
  to,
  intervalMs,
  height = 220,
}: {
  buckets: readonly HistogramBucket[];
  from: number;
  to: number;
  intervalMs: number;
  height?: number;
}) {
  const width = 900;
  const pad = { left: 44, right: 8, top: 8, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const slots = timeSlots(buckets, from, to, intervalMs);
  const first = slots[0]?.start ?? from;
  const end = (slots[slots.length - 1]?.start ?? from) + intervalMs;
  const xOf = (t: number): number => pad.left + ((t - first) / (end - first)) * innerW;
  const max = Math.max(1, ...slots.map((s) => s.total));
  const step = innerW / Math.max(1, slots.length);
  const barW = Math.max(1, step * 0.8);
  const ticks = [...new Set([0, Math.round(max / 2), max])];
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
      {slots.map((s) => {
        let y = pad.top + innerH;
        const x = xOf(s.start) + (step - barW) / 2;
        return (
          <g key={s.start} className="slot" data-start={new Date(s.start).toISOString()} data-total={s.total}>
            <title>{`${new Date(s.start).toLocaleString()}: ${s.total} events`}</title>
            {order.map((p) => {
              const n = s.counts[p] ?? 0;
              if (n === 0) return null;
              const h = (n / max) * innerH;
              y -= h;
              return (
                <rect key={p} x={x} y={y} width={barW} height={h} className={`fill-${p.toLowerCase()}`} />
              );
            })}
          </g>
        );
      })}
      {timeTicks(first, end).map((t) => (
        <g key={t.at} className="time-tick">
          <line
            x1={xOf(t.at)}
            x2={xOf(t.at)}
            y1={pad.top + innerH}
            y2={pad.top + innerH + 4}
            className="gridline"
          />
          <text x={xOf(t.at)} y={height - 6} textAnchor="middle" className="axis">
            {t.label}
          </text>
        </g>
      ))}
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
