import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DeliveryStatus, FalcoEvent, RemediationRecord } from '@falconer/contracts';
import { ApiRequestError } from '../api/client';
import { fieldText, formatTime } from '../api/events';
import { useEventDetail } from '../api/hooks';
import { useIsOperator } from '../api/triage';
import { PriorityBadge, Tags } from './Priority';
import { SilencedBadge } from './SilencedBadge';
import { SilenceForm } from './SilenceForm';
import { Timeline } from './Timeline';
import { TriageActions, TriageBadge } from './Triage';

export interface EventDrawerProps {
  uuid: string;
  /** The event as the list already has it: shown at once, replaced by the detail when it arrives. */
  initial?: FalcoEvent;
  onClose: () => void;
}

/** Everything about one event: output line, all fields (exact digits), tags, deliveries, remediation. */
export function EventDrawer({ uuid, initial, onClose }: EventDrawerProps) {
  const detail = useEventDetail(uuid);
  const [silencing, setSilencing] = useState(false);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.focus();
    return () => opener?.focus();
  }, [uuid]);
  const event = detail.data?.event ?? initial;
  const operator = useIsOperator();
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };
  return (
    <aside
      ref={panel}
      className="drawer"
      role="dialog"
      aria-modal="false"
      aria-label="Event detail"
      tabIndex={-1}
      onKeyDown={onKeyDown}
      data-testid="event-drawer"
    >
      <header className="drawer-head">
        {event !== undefined && <PriorityBadge priority={event.priority} />}
        <h2>{event?.rule ?? 'Event'}</h2>
        <SilencedBadge ids={event?.silenced} />
        {operator && event !== undefined && (
          <button
            type="button"
            className="ghost"
            aria-expanded={silencing}
            onClick={() => setSilencing((s) => !s)}
          >
            Silence…
          </button>
        )}
        <button
          type="button"
          className="ghost"
          onClick={onClose}
          aria-label="Close (Esc)"
          title="Close (Esc)"
        >
          ✕
        </button>
      </header>
      {event === undefined ? (
        detail.isError ? (
          <p className="error">
            Could not load event {uuid}: {detail.error.message}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )
      ) : (
        <div className="drawer-body">
          {silencing && operator && (
            <SilenceForm key={event.uuid} event={event} onCancel={() => setSilencing(false)} />
          )}
          <pre className="output-line" data-testid="output-line">
            {event.output}
          </pre>
          {detail.data !== undefined && (
            <div className="triage-bar" data-testid="drawer-triage">
              <TriageBadge mark={detail.data.triage} />
              {detail.data.triage.by !== undefined && detail.data.triage.at !== undefined && (
                <span className="muted">
                  by {detail.data.triage.by} · {formatTime(detail.data.triage.at)}
                </span>
              )}
              {operator && <TriageActions uuid={uuid} state={detail.data.triage.state} />}
            </div>
          )}
          <dl className="meta">
            <dt>Time</dt>
            <dd title={event.time}>
              {formatTime(event.time)} <span className="muted">({event.time})</span>
            </dd>
            <dt>Source</dt>
            <dd>{event.source}</dd>
            <dt>Host</dt>
            <dd>{event.hostname === '' ? '—' : event.hostname}</dd>
            <dt>UUID</dt>
            <dd className="mono">{event.uuid}</dd>
            <dt>Tags</dt>
            <dd>{event.tags.length === 0 ? '—' : <Tags tags={event.tags} />}</dd>
          </dl>
          <h3>Fields</h3>
          <table className="fields">
            <tbody>
              {Object.keys(event.output_fields)
                .sort()
                .map((k) => (
                  <tr key={k} data-field={k}>
                    <th scope="row">{k}</th>
                    <td className="mono">{fieldText(event.output_fields[k])}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <h3>Delivery</h3>
          {detail.data !== undefined ? (
            <Deliveries deliveries={detail.data.deliveries} />
          ) : detail.isError ? (
            <p className="muted">{unavailable(detail.error)}</p>
          ) : (
            <p className="muted">Loading…</p>
          )}
          <h3>Timeline</h3>
          {detail.data !== undefined ? <Timeline detail={detail.data} /> : <p className="muted">—</p>}
          <h3>Remediation</h3>
          {detail.data !== undefined ? (
            <Remediations records={detail.data.remediations} />
          ) : (
            <p className="muted">—</p>
          )}
        </div>
      )}
    </aside>
  );
}

function unavailable(err: Error): string {
  return err instanceof ApiRequestError && err.status === 404
    ? 'Delivery status is not available for this event.'
    : `Delivery status could not be loaded: ${err.message}`;
}

function Deliveries({ deliveries }: { deliveries: DeliveryStatus[] }) {
  if (deliveries.length === 0) return <p className="muted">No output matched this event.</p>;
  return (
    <table className="grid compact" data-testid="deliveries">
      <thead>
        <tr>
          <th>Output</th>
          <th>State</th>
          <th>Attempts</th>
          <th>Reason</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d) => (
          <tr key={d.output}>
            <td>{d.output}</td>
            <td>
              <span className={`state state-${d.state}`}>{d.state.replace('_', ' ')}</span>
            </td>
            <td>{d.attempts}</td>
            <td title={d.detail}>
              {d.reason ?? ''}
              {d.detail !== undefined && d.detail !== '' ? ` — ${d.detail}` : ''}
            </td>
            <td>{formatTime(d.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Remediations({ records }: { records: RemediationRecord[] }) {
  if (records.length === 0) return <p className="muted">No remediation action.</p>;
  return (
    <ul className="remediations" data-testid="remediations">
      {records.map((r, i) => (
        <li key={`${r.at}-${i}`}>
          <span className={`state state-${r.outcome}`}>{r.outcome.replace('_', ' ')}</span>{' '}
          <strong>{r.action}</strong>
          {r.target !== undefined && (
            <span className="muted">
              {' '}
              on {r.target.namespace ?? ''}/{r.target.pod ?? ''}
            </span>
          )}
          {r.reason !== undefined && <span> — {r.reason}</span>}
          {r.status !== undefined && <span className="muted"> (HTTP {r.status})</span>}
          <span className="muted"> · {formatTime(r.at)}</span>
        </li>
      ))}
    </ul>
  );
}
