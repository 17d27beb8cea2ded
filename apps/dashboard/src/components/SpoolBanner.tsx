import { useLiveStats } from '../live/LiveContext';

/**
 * Says, on every page, that Redis is unreachable and the router holds accepted events in its spool, and
 * how full the spool is: past it ingest answers 503 and a router restarted now loses them (ADR 0013).
 */
export function SpoolBanner() {
  const spool = useLiveStats()?.spool;
  if (spool === undefined || spool.events === 0) return null;
  const pct =
    spool.capacity > 0 ? Math.min(100, Math.round((spool.events / spool.capacity) * 1000) / 10) : 100;
  const full = spool.events >= spool.capacity;
  return (
    <div className={`spool-banner${full ? ' spool-full' : ''}`} role="alert" data-testid="spool-banner">
      <strong>{full ? 'Spool full' : 'Spooling'}:</strong> Redis is unreachable;{' '}
      {spool.events.toLocaleString('en')} of {spool.capacity.toLocaleString('en')} accepted events ({pct} %)
      wait in the router to be written when it is back
      {full ? ' — new events are refused (503) until then' : ''}.
      <meter min={0} max={spool.capacity} value={spool.events} aria-label="Spool use" />
    </div>
  );
}
