import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type UIEvent,
} from 'react';
import { useSearchParams } from 'react-router-dom';
import { PRIORITIES, type FalcoEvent, type TriageMark } from '@falconer/contracts';
import { formatTime, imageOf, namespaceOf, podOf, priorityClass, priorityRowClass } from '../api/events';
import { queryFromSearch, queryKeyPart } from '../api/query';
import { useShortcuts } from '../app/keyboard';
import { useRowWindow } from '../components/useRowWindow';
import { EventDrawer } from '../components/EventDrawer';
import { PriorityBadge } from '../components/Priority';
import { SilencedBadge } from '../components/SilencedBadge';
import { TriageActions, TriageBadge } from '../components/Triage';
import { useIsOperator } from '../api/triage';
import { useFeed, useLiveConnector, useTriageMarks } from '../live/LiveContext';

const ROW_HEIGHT = 34;

/**
 * The live feed: newest on top. While paused, scrolled down or reading an event the view is anchored
 * (rows stay still) and a marker counts what arrived since; the marker or Home returns to the top.
 */
export function LivePage() {
  const connector = useLiveConnector();
  const feed = useFeed();
  const { store } = feed;
  const { marks } = useTriageMarks();
  const operator = useIsOperator();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromSearch(params), [params]);
  const wanted = queryKeyPart(query);
  useEffect(() => {
    // the page's one subscription follows the priorities chosen here (they are in the URL)
    if (queryKeyPart(connector.currentQuery) !== wanted) connector.setQuery(query);
  }, [connector, wanted, query]);

  const [paused, setPaused] = useState(false);
  const [anchor, setAnchor] = useState<number | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [open, setOpen] = useState<FalcoEvent | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const view = anchor ?? store.total;
  const rows = store.viewLength(view);
  const fresh = anchor === null ? 0 : Math.max(0, store.total - anchor);

  const freeze = useCallback(() => setAnchor((a) => a ?? store.total), [store]);
  const toTop = useCallback(
    (keepPaused: boolean) => {
      if (scroller.current !== null) scroller.current.scrollTop = 0;
      setAnchor(keepPaused ? store.total : null);
      if (!keepPaused) setPaused(false);
    },
    [store],
  );
  const togglePause = useCallback(() => {
    if (paused) toTop(false);
    else {
      setPaused(true);
      freeze();
    }
  }, [paused, toTop, freeze]);

  const windowed = useRowWindow(scroller, rows, ROW_HEIGHT, 12);

  const onScroll = (e: UIEvent<HTMLDivElement>): void => {
    const top = e.currentTarget.scrollTop;
    windowed.onScroll(top);
    if (top > ROW_HEIGHT / 2) freeze();
    else if (!paused && open === null && anchor !== null) setAnchor(null);
  };

  const indexOf = (uuid: string | null): number => {
    if (uuid === null) return -1;
    for (let i = 0; i < Math.min(rows, 2_000); i++) if (store.at(view, i)?.uuid === uuid) return i;
    return -1;
  };
  const select = (index: number): void => {
    const e = store.at(view, Math.max(0, Math.min(rows - 1, index)));
    if (e === undefined) return;
    freeze();
    setSelected(e.uuid);
    const el = scroller.current;
    const top =
      el === null
        ? undefined
        : windowed.scrollTopFor(Math.max(0, Math.min(rows - 1, index)), el.scrollTop, el.clientHeight);
    if (el !== null && top !== undefined) el.scrollTop = top;
  };
  const openEvent = useCallback(
    (e: FalcoEvent): void => {
      freeze();
      setSelected(e.uuid);
      setOpen(e);
    },
    [freeze],
  );
  const onListKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const current = indexOf(selected);
    if (e.key === 'ArrowDown' || e.key === 'j') select(current + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') select(current - 1);
    else if (e.key === 'PageDown') select(current + 15);
    else if (e.key === 'PageUp') select(current - 15);
    else if (e.key === 'Enter') {
      const ev = store.at(view, Math.max(0, current));
      if (ev !== undefined) openEvent(ev);
    } else return;
    e.preventDefault();
  };
  useShortcuts({
    ' ': togglePause,
    Home: () => {
      setSelected(null);
      toTop(paused);
    },
  });

  const togglePriority = (p: string): void => {
    const list = new Set(query.priority ?? []);
    if (list.has(p)) list.delete(p);
    else list.add(p);
    const next = new URLSearchParams(params);
    if (list.size === 0) next.delete('priority');
    else next.set('priority', PRIORITIES.filter((x) => list.has(x)).join(','));
    setAnchor(null);
    setParams(next);
  };

  return (
    <section className="page live" aria-labelledby="live-title">
      <div className="toolbar">
        <h1 id="live-title">Live feed</h1>
        <button
          type="button"
          onClick={togglePause}
          aria-pressed={paused}
          data-testid="pause"
          title="Pause or resume (Space)"
        >
          {paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
        <span className="muted" data-testid="row-count">
          {rows.toLocaleString()} events
          {feed.dropped > 0 ? ` · ${feed.dropped} dropped by the server, refilled from history` : ''}
        </span>
        <span className="spacer" />
        <div className="chips" role="group" aria-label="Follow priorities">
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
      </div>
      {fresh > 0 && (
        <button type="button" className="new-marker" onClick={() => toTop(false)} data-testid="new-marker">
          ↑ {fresh.toLocaleString()} new
        </button>
      )}
      <div className="feed-head" aria-hidden="true">
        <span>Time</span>
        <span>Priority</span>
        <span>Rule</span>
        <span>Host</span>
        <span>Namespace / pod</span>
        <span>Output</span>
        <span>State</span>
      </div>
      <div
        ref={scroller}
        className="feed"
        tabIndex={0}
        role="listbox"
        aria-label="Live events, newest first"
        aria-activedescendant={selected === null ? undefined : `ev-${selected}`}
        onScroll={onScroll}
        onKeyDown={onListKey}
        data-testid="feed"
      >
        {rows === 0 ? (
          <p className="empty">
            Waiting for events… Falco posts to this router and they appear here as they arrive.
          </p>
        ) : (
          <div style={{ height: rows * ROW_HEIGHT, position: 'relative' }}>
            {windowed.indexes.map((index) => {
              const ev = store.at(view, index);
              if (ev === undefined) return null;
              return (
                <FeedRow
                  key={ev.uuid}
                  event={ev}
                  top={index * ROW_HEIGHT}
                  selected={ev.uuid === selected}
                  onOpen={openEvent}
                  mark={marks.get(ev.uuid)}
                  operator={operator}
                />
              );
            })}
          </div>
        )}
      </div>
      {open !== null && (
        <EventDrawer
          uuid={open.uuid}
          initial={open}
          onClose={() => {
            setOpen(null);
            if (!paused && (scroller.current?.scrollTop ?? 0) <= ROW_HEIGHT / 2) setAnchor(null);
          }}
        />
      )}
    </section>
  );
}

const FeedRow = memo(function FeedRow({
  event,
  top,
  selected,
  onOpen,
  mark,
  operator,
}: {
  event: FalcoEvent;
  top: number;
  selected: boolean;
  onOpen: (e: FalcoEvent) => void;
  /** Absent: new. */
  mark: TriageMark | undefined;
  operator: boolean;
}) {
  const ns = namespaceOf(event);
  const pod = podOf(event);
  const image = imageOf(event);
  return (
    <div
      id={`ev-${event.uuid}`}
      role="option"
      aria-selected={selected}
      className={`feed-row ${priorityRowClass(event.priority)}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={() => onOpen(event)}
      data-uuid={event.uuid}
    >
      <span className="mono">{formatTime(event.time)}</span>
      <span>
        <PriorityBadge priority={event.priority} />
      </span>
      <span className="ellipsis" title={event.rule}>
        <SilencedBadge ids={event.silenced} />
        {event.rule}
      </span>
      <span className="ellipsis">{event.hostname}</span>
      <span className="ellipsis" title={image}>
        {ns === '' ? '' : `${ns}/${pod}`}
      </span>
      <span className="ellipsis muted" title={event.output}>
        {event.output}
      </span>
      <span className="feed-triage">
        <TriageBadge mark={mark} />
        {operator && <TriageActions uuid={event.uuid} state={mark?.state ?? 'new'} compact />}
      </span>
    </div>
  );
});
