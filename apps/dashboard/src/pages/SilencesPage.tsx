import { useState } from 'react';
import type { SilenceInfo } from '@falconer/contracts';
import { formatTime } from '../api/events';
import { useExpireSilence, useSilences } from '../api/silences';
import { useIsOperator } from '../api/triage';
import { SilenceForm } from '../components/SilenceForm';

/** Active and recently expired silences; operators create and expire them here. */
export function SilencesPage() {
  const silences = useSilences();
  const canOperate = useIsOperator();
  const [creating, setCreating] = useState(false);
  const list = silences.data ?? [];
  return (
    <section className="page silences" aria-labelledby="silences-title">
      <div className="toolbar">
        <h1 id="silences-title">Silences</h1>
        <span className="muted">
          {silences.data === undefined ? '' : `${list.filter((s) => s.state === 'active').length} active`}
        </span>
        <span className="spacer" />
        {canOperate && (
          <button type="button" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
            New silence
          </button>
        )}
      </div>
      <p className="muted">
        A silenced event is recorded and shown (marked silenced) but not sent to the silenced outputs.
      </p>
      {creating && canOperate && <SilenceForm onCancel={() => setCreating(false)} />}
      {silences.isError && (
        <p className="error" role="alert">
          Silences could not be loaded: {silences.error.message}
        </p>
      )}
      {silences.data !== undefined && list.length === 0 && <p className="empty">No silences.</p>}
      {list.length > 0 && (
        <table className="grid" data-testid="silences">
          <thead>
            <tr>
              <th>State</th>
              <th>Matcher</th>
              <th>Outputs</th>
              <th>Ends</th>
              <th>By</th>
              <th>Comment</th>
              <th>Id</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <SilenceRow key={s.id} silence={s} canOperate={canOperate} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SilenceRow({ silence: s, canOperate }: { silence: SilenceInfo; canOperate: boolean }) {
  const expire = useExpireSilence();
  return (
    <tr data-silence={s.id} data-state={s.state}>
      <td>
        <span className={`badge silence-${s.state}`}>{s.state}</span>
      </td>
      <td>{s.matcher}</td>
      <td>{s.outputs.length === 0 ? 'all' : s.outputs.join(', ')}</td>
      <td title={s.endsAt}>{formatTime(s.endsAt)}</td>
      <td>
        {s.createdBy}
        {s.expiredBy !== undefined && <span className="muted"> (expired by {s.expiredBy})</span>}
      </td>
      <td>{s.comment}</td>
      <td className="mono" title={s.id}>
        {s.id.slice(0, 8)}
      </td>
      <td>
        {canOperate && s.state === 'active' && (
          <button type="button" disabled={expire.isPending} onClick={() => expire.mutate(s.id)}>
            Expire
          </button>
        )}
        {expire.isError && (
          <span className="error" role="alert">
            {expire.error.message}
          </span>
        )}
      </td>
    </tr>
  );
}
