import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PRIORITIES, TRIAGE_STATES, type EventQuery, type FalcoEvent } from '@falconer/contracts';
import { apiUrl } from '../api/client';
import { formatTime, imageOf, namespaceOf, podOf, priorityClass, priorityRowClass } from '../api/events';
import { PAGE_SIZE, useCountBy, useEventSearch, type GroupBy } from '../api/hooks';
import { queryFromSearch, queryToParams, withQuery, type ListKey } from '../api/query';
import { useShortcuts } from '../app/keyboard';
import { EventDrawer } from '../components/EventDrawer';
import { PriorityBadge, Tags } from '../components/Priority';
import { SilencedBadge } from '../components/SilencedBadge';
import { BulkTriage } from '../components/BulkTriage';
import { TriageActions, TriageBadge } from '../components/Triage';
import { TRIAGE_LABEL, useIsOperator } from '../api/triage';

const TEXT_FILTERS: { key: Exclude<ListKey, 'priority' | 'triage'>; label: string; groupby: GroupBy }[] = [
  { key: 'rule', label: 'Rule', groupby: 'rule' },
  { key: 'source', label: 'Source', groupby: 'source' },
  { key: 'hostname', label: 'Host', groupby: 'hostname' },
  { key: 'namespace', label: 'Namespace', groupby: 'k8s.ns.name' },
  { key: 'pod', label: 'Pod', groupby: 'k8s.pod.name' },
  { key: 'tags', label: 'Tags', groupby: 'tags' },
];

const RANGES = ['', '15m', '1h', '6h', '24h', '7d', '30d'] as const;

/** Local `datetime-local` value ⇄ RFC 3339 (the URL keeps RFC 3339 so a shared link means one instant). */
function toLocalInput(rfc3339: string | undefined): string {
  if (rfc3339 === undefined) return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return '';
  const off = d.getTimezoneOffset() * 60_000;
  return new Date(d.getTime() - off).toISOString().slice(0, 16);
}
function fromLocalInput(v: string): string | undefined {
  if (v === '') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Events explorer: every filter lives in the URL (API parameter names), so a view can be shared. */
export function ExplorerPage() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromSearch(params), [params]);
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const openUuid = params.get('event') ?? undefined;
  const search = useEventSearch(query, page);
  const results = search.data?.results ?? [];
  const total = search.data?.statistics.all ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const [cursor, setCursor] = useState(0);
  const freeText = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLTableSectionElement>(null);

  const apply = (q: EventQuery): void => setParams(withQuery(params, q));
  const setPage = (p: number): void => {
    const next = new URLSearchParams(params);
    if (p <= 1) next.delete('page');
    else next.set('page', String(p));
    setParams(next);
  };
  const openEvent = (uuid: string | undefined): void => {
    const next = new URLSearchParams(params);
    if (uuid === undefined) next.delete('event');
    else next.set('event', uuid);
    setParams(next);
  };
  useShortcuts({ '/': () => freeText.current?.focus() });

  const onSubmit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string): string => {
      const v = form.get(k);
      return typeof v === 'string' ? v.trim() : '';
    };
    const list = (k: string): string[] | undefined => {
      const items = text(k)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      return items.length === 0 ? undefined : items;
    };
    const q: EventQuery = { priority: query.priority, triage: list('triage') };
    for (const f of TEXT_FILTERS) q[f.key] = list(f.key);
    const filter = text('filter');
    if (filter !== '') q.filter = filter;
    const since = text('since');
    if (since !== '') q.since = since;
    q.from = fromLocalInput(text('from'));
    q.to = fromLocalInput(text('to'));
    apply(q);
  };
  const togglePriority = (p: string): void => {
    const set = new Set(query.priority ?? []);
    if (set.has(p)) set.delete(p);
    else set.add(p);
    apply({ ...query, priority: set.size === 0 ? undefined : PRIORITIES.filter((x) => set.has(x)) });
  };

  const onTableKey = (e: KeyboardEvent<HTMLTableSectionElement>): void => {
    let next = cursor;
    if (e.key === 'ArrowDown' || e.key === 'j') next = Math.min(results.length - 1, cursor + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') next = Math.max(0, cursor - 1);
    else if (e.key === 'Enter') {
      openEvent(results[cursor]?.uuid);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    setCursor(next);
    table.current
      ?.querySelector<HTMLElement>(`tr[data-index="${next}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  };

  const exportParams = queryToParams(query);
  const operator = useIsOperator();
  // a combination typed into the URL stays selectable, so applying other filters keeps it
  const triageValue = query.triage?.join(',') ?? '';
  const opened: FalcoEvent | undefined = results.find((r) => r.uuid === openUuid);
  const formKey = params.toString();

  return (
    <section className="page explorer" aria-labelledby="explorer-title">
      <div className="toolbar">
        <h1 id="explorer-title">Events explorer</h1>
        <span className="muted" data-testid="result-count">
          {search.isError ? '' : `${total.toLocaleString()} ${total === 1 ? 'event' : 'events'}`}
        </span>
        <span className="spacer" />
        <a
          className="button"
          href={apiUrl('/events/export', exportParams)}
          download="falconer-events.ndjson"
          data-testid="export-ndjson"
        >
          Export NDJSON
        </a>
        <a
          className="button"
          href={apiUrl('/events/export', { ...exportParams, format: 'csv' })}
          download="falconer-events.csv"
        >
          Export CSV
        </a>
      </div>
      <div className="chips" role="group" aria-label="Priority">
        {PRIORITIES.map((p) => (
          <button
            key={p}
            type="button"
            className={`chip ${priorityClass(p)}`}
            aria-pressed={query.priority?.includes(p) ?? false}
            onClick={() => togglePriority(p)}
          >
            {p}
          </button>
        ))}
      </div>
      <form key={formKey} className="filters" onSubmit={onSubmit} aria-label="Filters" data-testid="filters">
        <label className="grow">
          Search
          <input
            ref={freeText}
            name="filter"
            type="search"
            defaultValue={query.filter ?? ''}
            placeholder="output, rule, tags, field values  ( / )"
          />
        </label>
        {TEXT_FILTERS.map((f) => (
          <FacetInput
            key={f.key}
            name={f.key}
            label={f.label}
            groupby={f.groupby}
            value={query[f.key]?.join(', ') ?? ''}
          />
        ))}
        <label>
          State
          <select name="triage" defaultValue={triageValue} data-testid="triage-filter">
            <option value="">any</option>
            {TRIAGE_STATES.map((t) => (
              <option key={t} value={t}>
                {TRIAGE_LABEL[t]}
              </option>
            ))}
            <option value="new,acknowledged">open (new or acknowledged)</option>
            {triageValue !== '' &&
              !(TRIAGE_STATES as readonly string[]).includes(triageValue) &&
              triageValue !== 'new,acknowledged' && <option value={triageValue}>{triageValue}</option>}
          </select>
        </label>
        <label>
          Last
          <select name="since" defaultValue={query.since ?? ''}>
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {r === '' ? 'all time' : r}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input name="from" type="datetime-local" defaultValue={toLocalInput(query.from)} />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" defaultValue={toLocalInput(query.to)} />
        </label>
        <div className="form-actions">
          <button type="submit" className="primary">
            Apply
          </button>
          <button type="button" onClick={() => setParams(new URLSearchParams())}>
            Clear
          </button>
        </div>
      </form>
      {operator && !search.isError && total > 0 && (
        <BulkTriage key={`bulk:${formKey}`} query={query} total={total} />
      )}
      {search.isError && (
        <p className="error" role="alert">
          Search failed: {search.error.message}
        </p>
      )}
      <div className="table-wrap">
        <table className="grid events" aria-label="Events" aria-busy={search.isFetching}>
          <thead>
            <tr>
              <th>Time</th>
              <th>Priority</th>
              <th>Rule</th>
              <th>Source</th>
              <th>Host</th>
              <th>Namespace</th>
              <th>Pod</th>
              <th>Container image</th>
              <th>Tags</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody
            ref={table}
            tabIndex={0}
            onKeyDown={onTableKey}
            aria-label="Results (j/k to move, Enter to open)"
            data-testid="results"
          >
            {results.map((e, i) => (
              <tr
                key={e.uuid}
                data-index={i}
                data-uuid={e.uuid}
                className={`${priorityRowClass(e.priority)}${i === cursor ? ' selected' : ''}`}
                onClick={() => {
                  setCursor(i);
                  openEvent(e.uuid);
                }}
              >
                <td className="mono nowrap">{formatTime(e.time)}</td>
                <td>
                  <PriorityBadge priority={e.priority} />
                </td>
                <td>
                  <SilencedBadge ids={e.silenced} />
                  {e.rule}
                </td>
                <td>{e.source}</td>
                <td>{e.hostname}</td>
                <td>{namespaceOf(e)}</td>
                <td className="ellipsis">{podOf(e)}</td>
                <td className="ellipsis">{imageOf(e)}</td>
                <td>
                  <Tags tags={e.tags} />
                </td>
                <td className="nowrap">
                  <TriageBadge mark={search.data?.triage.get(e.uuid)} />{' '}
                  {operator && (
                    <TriageActions
                      uuid={e.uuid}
                      state={search.data?.triage.get(e.uuid)?.state ?? 'new'}
                      compact
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!search.isPending && !search.isError && results.length === 0 && (
          <p className="empty">No events match these filters.</p>
        )}
      </div>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          ← Newer
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Older →
        </button>
      </nav>
      {openUuid !== undefined && (
        <EventDrawer uuid={openUuid} initial={opened} onClose={() => openEvent(undefined)} />
      )}
    </section>
  );
}

/** A comma list filter with suggestions from the server's counts for that field. */
function FacetInput({
  name,
  label,
  groupby,
  value,
}: {
  name: string;
  label: string;
  groupby: GroupBy;
  value: string;
}) {
  const [focused, setFocused] = useState(false);
  const counts = useCountBy(groupby, {}, focused);
  const options = Object.entries(counts.data?.results ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 50);
  return (
    <label>
      {label}
      <input
        name={name}
        defaultValue={value}
        list={`facet-${name}`}
        onFocus={() => setFocused(true)}
        autoComplete="off"
      />
      <datalist id={`facet-${name}`}>
        {options.map(([k, n]) => (
          <option key={k} value={k}>
            {`${n}`}
          </option>
        ))}
      </datalist>
    </label>
  );
}
