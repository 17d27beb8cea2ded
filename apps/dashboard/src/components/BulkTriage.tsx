import { useState } from 'react';
import { BULK_TRIAGE_MAX, type EventQuery, type TriageState } from '@falconer/contracts';
import { queryToParams } from '../api/query';
import { useBulkTriage } from '../api/triage';

const BULK_VERB: Record<TriageState, string> = {
  new: 'Reopen',
  acknowledged: 'Acknowledge',
  resolved: 'Resolve',
};

/** An operator's action on every event of the filter, after a confirmation that says how many. */
export function BulkTriage({ query, total }: { query: EventQuery; total: number }) {
  const bulk = useBulkTriage();
  const [asked, setAsked] = useState<TriageState | null>(null);
  const n = Math.min(total, BULK_TRIAGE_MAX);
  return (
    <div className="bulk-bar" data-testid="bulk-triage">
      {asked === null ? (
        <>
          <span className="muted">All {total.toLocaleString()} matching:</span>
          {(['acknowledged', 'resolved', 'new'] as const).map((s) => (
            <button key={s} type="button" onClick={() => setAsked(s)} data-testid={`bulk-${s}`}>
              {BULK_VERB[s]} all…
            </button>
          ))}
        </>
      ) : (
        <div className="bulk-confirm" role="alertdialog" aria-label="Confirm" data-testid="bulk-confirm">
          <span>
            {BULK_VERB[asked]} {n.toLocaleString()} {n === 1 ? 'event' : 'events'} matching this filter
            {total > n ? ` (the newest ${n.toLocaleString()} of ${total.toLocaleString()})` : ''}?
          </span>
          <button
            type="button"
            className="primary"
            data-testid="bulk-confirm-yes"
            disabled={bulk.isPending}
            onClick={() =>
              bulk.mutate({ state: asked, query: queryToParams(query) }, { onSettled: () => setAsked(null) })
            }
          >
            {BULK_VERB[asked]} {n.toLocaleString()}
          </button>
          <button type="button" onClick={() => setAsked(null)}>
            Cancel
          </button>
        </div>
      )}
      {bulk.data !== undefined && (
        <span className="muted" role="status" data-testid="bulk-result">
          {bulk.data.changed.toLocaleString()} changed
          {bulk.data.unchanged > 0 ? `, ${bulk.data.unchanged.toLocaleString()} already so` : ''}
          {bulk.data.truncated ? '; more matched: run it again for the rest' : ''}
        </span>
      )}
      {bulk.isError && (
        <span className="error" role="alert">
          {bulk.error.message}
        </span>
      )}
    </div>
  );
}
