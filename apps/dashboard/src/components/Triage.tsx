import type { TriageMark, TriageState } from '@falconer/contracts';
import { formatTime } from '../api/events';
import { TRIAGE_LABEL, useSetTriage } from '../api/triage';

/** The triage state as a small badge; `by` and `at` in its tooltip. */
export function TriageBadge({ mark }: { mark: TriageMark | undefined }) {
  const state = mark?.state ?? 'new';
  const who =
    mark?.by !== undefined && mark.at !== undefined ? `${mark.by}, ${formatTime(mark.at)}` : undefined;
  return (
    <span className={`triage triage-${state}`} title={who} data-testid="triage-state" data-state={state}>
      {TRIAGE_LABEL[state]}
    </span>
  );
}

const NEXT: Record<TriageState, TriageState[]> = {
  new: ['acknowledged', 'resolved'],
  acknowledged: ['resolved', 'new'],
  resolved: ['new'],
};
const VERB: Record<TriageState, string> = { new: 'Reopen', acknowledged: 'Acknowledge', resolved: 'Resolve' };

/** An operator's buttons to move one event to another state (a viewer sees none). */
export function TriageActions({
  uuid,
  state,
  compact = false,
}: {
  uuid: string;
  state: TriageState;
  compact?: boolean;
}) {
  const set = useSetTriage();
  return (
    <span className="triage-actions" role="group" aria-label="Triage">
      {NEXT[state].map((s) => (
        <button
          key={s}
          type="button"
          className={compact ? 'mini' : undefined}
          disabled={set.isPending}
          data-testid={`triage-${s}`}
          title={`${VERB[s]} this event`}
          onClick={(e) => {
            // a row action: the row itself opens the drawer
            e.stopPropagation();
            set.mutate({ uuid, state: s });
          }}
        >
          {compact && s === 'acknowledged' ? 'Ack' : VERB[s]}
        </button>
      ))}
      {set.isError && (
        <span className="error" role="alert">
          {set.error.message}
        </span>
      )}
    </span>
  );
}
