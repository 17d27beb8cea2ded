import type { HistogramBucket } from '@falconer/contracts';

/** One slot of a time chart: a bucket start (epoch ms) and its counts, zero when no event fell in it. */
export interface TimeSlot {
  start: number;
  counts: Record<string, number>;
  total: number;
}

/**
 * Every bucket over `[fromMs, toMs]`, in order, empty ones included, so that the x-axis of a chart is time:
 * a quiet hour looks quiet. Buckets start at multiples of `intervalMs` since the epoch, as the store's do;
 * a bucket the server returned outside the range (its clock ahead of or behind ours) widens it.
 */
export function timeSlots(
  buckets: readonly HistogramBucket[],
  fromMs: number,
  toMs: number,
  intervalMs: number,
): TimeSlot[] {
  const byStart = new Map<number, Record<string, number>>();
  for (const b of buckets) {
    const t = Date.parse(b.time);
    if (!Number.isNaN(t)) byStart.set(Math.floor(t / intervalMs) * intervalMs, b.counts);
  }
  const starts = [...byStart.keys()];
  const first = Math.min(Math.floor(fromMs / intervalMs) * intervalMs, ...starts);
  const last = Math.max(Math.floor(toMs / intervalMs) * intervalMs, ...starts);
  const slots: TimeSlot[] = [];
  for (let start = first; start <= last; start += intervalMs) {
    const counts = byStart.get(start) ?? {};
    slots.push({ start, counts, total: Object.values(counts).reduce((a, n) => a + n, 0) });
  }
  return slots;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Tick steps, in the user's local time. */
const TICK_STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
];

/** Local wall-clock time of an instant, as if it were UTC (so steps can be aligned on it). */
const wallClock = (t: number): number => t - new Date(t).getTimezoneOffset() * MINUTE;

export interface TimeTick {
  at: number;
  label: string;
}

/**
 * About `target` axis ticks over `[fromMs, toMs]` at round times of the user's time zone (:00, :10, … or
 * midnight), labelled in that zone: hours and minutes, with the day when the range spans more than a day.
 */
export function timeTicks(fromMs: number, toMs: number, target = 8, locale?: string): TimeTick[] {
  const span = toMs - fromMs;
  if (!(span > 0)) return [];
  const step = TICK_STEPS.find((s) => span / s <= target) ?? DAY * Math.ceil(span / target / DAY);
  const format = new Intl.DateTimeFormat(
    locale,
    span > DAY
      ? step >= DAY
        ? { weekday: 'short', day: 'numeric' }
        : { weekday: 'short', hour: '2-digit', minute: '2-digit' }
      : { hour: '2-digit', minute: '2-digit' },
  );
  const ticks: TimeTick[] = [];
  let wall = Math.ceil(wallClock(fromMs) / step) * step;
  for (let guard = 0; guard < 1000; guard++, wall += step) {
    // wall-clock → instant, with the offset of that instant (daylight saving time moves it)
    let at = wall - (wallClock(fromMs) - fromMs);
    at = wall - (wallClock(at) - at);
    if (at > toMs) break;
    if (at >= fromMs) ticks.push({ at, label: format.format(at) });
  }
  return ticks;
}
