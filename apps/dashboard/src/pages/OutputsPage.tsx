import { useState } from 'react';
import type { ConnectionHealth, FailureReason } from '@falconer/contracts';
import { formatTime } from '../api/events';
import { useDeadLetters, useOutputs, useReplay, type OutputWithRates } from '../api/hooks';
import { useLiveStats } from '../live/LiveContext';

const REASONS: Record<FailureReason, string> = {
  client_error: 'client error (4xx)',
  auth_error: 'authentication',
  rate_limited: 'rate limited',
  server_error: 'server error (5xx)',
  timeout: 'timeout',
  network: 'network',
};

function fmtRate(n: number | undefined): string {
  return n === undefined ? '—' : `${n.toLocaleString(undefined, { maximumFractionDigits: 1 })}/s`;
}

function fmtAge(ms: number): string {
  if (ms <= 0) return '—';
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export function OutputsPage() {
  const outputs = useOutputs();
  const stats = useLiveStats();
  const live = new Map((stats?.outputs ?? []).map((o) => [o.name, o]));
  return (
    <section className="page outputs" aria-labelledby="outputs-title">
      <div className="toolbar">
        <h1 id="outputs-title">Outputs</h1>
        <span className="muted">{outputs.data === undefined ? '' : `${outputs.data.length} instances`}</span>
      </div>
      {outputs.isError && (
        <p className="error" role="alert">
          Outputs could not be loaded: {outputs.error.message}
        </p>
      )}
      {outputs.data?.length === 0 && (
        <p className="empty">No outputs are configured: events are kept in history only.</p>
      )}
      <div className="output-cards">
        {(outputs.data ?? []).map((o) => {
          const l = live.get(o.name);
          return (
            <OutputCard
              key={o.name}
              output={l === undefined ? o : { ...o, health: l.health, queueDepth: l.queueDepth }}
            />
          );
        })}
      </div>
      <DeadLetters names={(outputs.data ?? []).map((o) => o.name)} />
    </section>
  );
}

function OutputCard({ output: o }: { output: OutputWithRates }) {
  const failures = Object.entries(o.counters.failed).filter(([, n]) => (n ?? 0) > 0) as [
    FailureReason,
    number,
  ][];
  const maxFail = Math.max(1, ...failures.map(([, n]) => n));
  return (
    <article
      className={`card output health-${o.health}`}
      aria-label={`Output ${o.name}`}
      data-testid={`output-${o.name}`}
      data-health={o.health}
    >
      <header>
        <h2>{o.name}</h2>
        <span className="muted">{o.type}</span>
        <span className="spacer" />
        {!o.enabled && <span className="badge">disabled</span>}
        <span className={`badge health health-${o.health}`} data-testid="health">
          {o.health}
        </span>
        <span className={`badge circuit circuit-${o.circuit}`} title="Circuit breaker">
          circuit {o.circuit.replace('_', '-')}
        </span>
      </header>
      {o.connection !== undefined && <Connection c={o.connection} />}
      <p className="filter-words">
        <span className="muted">Sends </span>
        {o.filter}
      </p>
      <dl className="metrics">
        <div>
          <dt>Matched</dt>
          <dd>
            {o.counters.matched.toLocaleString()} <small>{fmtRate(o.rates?.matched)}</small>
          </dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>
            {o.counters.sent.toLocaleString()} <small>{fmtRate(o.rates?.sent)}</small>
          </dd>
        </div>
        <div>
          <dt>Retried</dt>
          <dd>{o.counters.retried.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Dead letters</dt>
          <dd>{o.counters.deadLettered.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Silenced</dt>
          <dd data-testid="silenced-count">{(o.counters.silenced ?? 0).toLocaleString()}</dd>
        </div>
        <div>
          <dt>Queue</dt>
          <dd data-testid="queue-depth">
            {o.queueDepth.toLocaleString()} <small>oldest {fmtAge(o.oldestQueuedAgeMs)}</small>
          </dd>
        </div>
        <div>
          <dt>Failing</dt>
          <dd>{fmtRate(o.rates?.failed)}</dd>
        </div>
      </dl>
      {failures.length > 0 && (
        <div className="failures" aria-label="Failures by reason">
          <h3>Failures by reason</h3>
          <ol className="toplist">
            {failures.map(([reason, n]) => (
              <li key={reason}>
                <div className="bar-row static">
                  <span className="bar bad" style={{ width: `${(n / maxFail) * 100}%` }} aria-hidden="true" />
                  <span className="bar-label">{REASONS[reason]}</span>
                  <span className="bar-value">{n.toLocaleString()}</span>
                </div>
              </li>
            ))}
          </ol>
        </div>
      )}
      {o.lastError !== undefined && (
        <p className="last-error" data-testid="last-error">
          Last error {formatTime(o.lastError.at)}: <strong>{REASONS[o.lastError.reason]}</strong> —{' '}
          {o.lastError.detail}
        </p>
      )}
    </article>
  );
}

/** A broker output's connection: connected, reconnecting (attempts, last error) or down. */
function Connection({ c }: { c: ConnectionHealth }) {
  const attempts = c.attempts > 0 ? ` · ${c.attempts} failed attempt${c.attempts === 1 ? '' : 's'}` : '';
  return (
    <p className={`connection connection-${c.state}`} data-testid="connection" data-state={c.state}>
      <span className={`badge connection-${c.state}`}>{c.state}</span>{' '}
      <span className="muted">
        since {formatTime(c.since)}
        {attempts} · {c.connects} connection{c.connects === 1 ? '' : 's'}, {c.disconnects} lost
      </span>
      {c.state !== 'connected' && c.lastError !== undefined && (
        <span className="connection-error" data-testid="connection-error">
          {' '}
          — {c.lastError}
        </span>
      )}
    </p>
  );
}

function DeadLetters({ names }: { names: string[] }) {
  const [output, setOutput] = useState<string>('');
  const letters = useDeadLetters(output === '' ? undefined : output);
  const replay = useReplay();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const rows = letters.data?.results ?? [];
  const toggle = (id: string): void =>
    setPicked((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const doReplay = (ids?: string[]): void => {
    replay.mutate(
      { ids, output: output === '' ? undefined : output },
      { onSuccess: () => setPicked(new Set()) },
    );
  };
  return (
    <section className="card deadletters" aria-labelledby="dl-title">
      <header>
        <h2 id="dl-title">Dead letters</h2>
        <span className="muted">
          {letters.data === undefined ? '' : `${letters.data.statistics.all.toLocaleString()} held`}
        </span>
        <span className="spacer" />
        <label>
          Output{' '}
          <select value={output} onChange={(e) => setOutput(e.target.value)}>
            <option value="">all</option>
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={picked.size === 0 || replay.isPending}
          onClick={() => doReplay([...picked])}
        >
          Replay selected ({picked.size})
        </button>
        <button
          type="button"
          className="primary"
          disabled={rows.length === 0 || replay.isPending}
          onClick={() => doReplay(undefined)}
        >
          Replay all{output === '' ? '' : ` of ${output}`}
        </button>
      </header>
      {replay.isSuccess && <p role="status">Replayed {replay.data.replayed} events.</p>}
      {replay.isError && (
        <p className="error" role="alert">
          Replay failed: {replay.error.message}
        </p>
      )}
      {letters.isError && <p className="error">Dead letters could not be loaded: {letters.error.message}</p>}
      {rows.length === 0 ? (
        <p className="muted">Nothing is dead-lettered.</p>
      ) : (
        <table className="grid compact">
          <thead>
            <tr>
              <th>
                <span className="sr-only">Select</span>
              </th>
              <th>When</th>
              <th>Output</th>
              <th>Rule</th>
              <th>Reason</th>
              <th>Attempts</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id}>
                <td>
                  <input
                    type="checkbox"
                    checked={picked.has(d.id)}
                    onChange={() => toggle(d.id)}
                    aria-label={`Select dead letter ${d.id}`}
                  />
                </td>
                <td className="mono nowrap">{formatTime(d.at)}</td>
                <td>{d.output}</td>
                <td>{d.event.rule}</td>
                <td>{REASONS[d.reason]}</td>
                <td>{d.attempts}</td>
                <td className="ellipsis" title={d.detail}>
                  {d.detail}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
