import { useState, type FormEvent } from 'react';
import type { FalcoEvent } from '@falconer/contracts';
import { useOutputs } from '../api/hooks';
import { useCreateSilence } from '../api/silences';
import { draftProblems, EMPTY_DRAFT, presetsFor, toRequest, type SilenceDraft } from './silence-draft';

export interface SilenceFormProps {
  /** From an event's detail: presets for its rule on its host / in its namespace (the first is chosen). */
  event?: FalcoEvent;
  onCreated?: (id: string) => void;
  onCancel?: () => void;
}

/** Creates a silence; every text is editable, presets only fill them in. */
export function SilenceForm({ event, onCreated, onCancel }: SilenceFormProps) {
  const presets = event === undefined ? [] : presetsFor(event);
  const [draft, setDraft] = useState<SilenceDraft>(
    presets[0]?.draft ?? (event === undefined ? EMPTY_DRAFT : { ...EMPTY_DRAFT, rule: event.rule }),
  );
  const [touched, setTouched] = useState(false);
  const outputs = useOutputs();
  const create = useCreateSilence();
  const problems = draftProblems(draft);
  const set = (patch: Partial<SilenceDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const toggleOutput = (name: string): void =>
    set({
      outputs: draft.outputs.includes(name)
        ? draft.outputs.filter((o) => o !== name)
        : [...draft.outputs, name],
    });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setTouched(true);
    if (problems.length > 0) return;
    create.mutate(toRequest(draft), { onSuccess: (r) => onCreated?.(r.id) });
  };
  return (
    <form className="silence-form" onSubmit={submit} aria-label="New silence" data-testid="silence-form">
      {presets.length > 0 && (
        <div className="chips" role="group" aria-label="Presets">
          {presets.map((p) => (
            <button
              key={p.key}
              type="button"
              className="chip"
              aria-pressed={draft.hostname === p.draft.hostname && draft.namespace === p.draft.namespace}
              onClick={() => setDraft({ ...p.draft, outputs: draft.outputs, comment: draft.comment })}
            >
              {p.label}
            </button>
          ))}
        </div>
      )}
      <label>
        Rule
        <input value={draft.rule} onChange={(e) => set({ rule: e.target.value })} placeholder="any rule" />
      </label>
      <label>
        Host
        <input
          value={draft.hostname}
          onChange={(e) => set({ hostname: e.target.value })}
          placeholder="any host"
        />
      </label>
      <label>
        Namespace
        <input
          value={draft.namespace}
          onChange={(e) => set({ namespace: e.target.value })}
          placeholder="any namespace"
        />
      </label>
      <label>
        Duration
        <input value={draft.duration} onChange={(e) => set({ duration: e.target.value })} />
      </label>
      <fieldset>
        <legend>Outputs (none ticked: every output)</legend>
        {(outputs.data ?? []).map((o) => (
          <label key={o.name} className="inline">
            <input
              type="checkbox"
              checked={draft.outputs.includes(o.name)}
              onChange={() => toggleOutput(o.name)}
            />
            {o.name}
          </label>
        ))}
      </fieldset>
      <label>
        Comment
        <input value={draft.comment} onChange={(e) => set({ comment: e.target.value })} placeholder="why" />
      </label>
      {touched && problems.length > 0 && (
        <ul className="error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {create.isError && (
        <p className="error" role="alert">
          {create.error.message}
        </p>
      )}
      {create.isSuccess && (
        <p role="status" data-testid="silence-created">
          Silence {create.data.id} created.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          Create silence
        </button>
        {onCancel !== undefined && (
          <button type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
