import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import type { HistogramBucket } from '@falconer/contracts';
import { StackedHistogram } from './Charts';
import { timeSlots, timeTicks } from './time-axis';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Server-shaped buckets (start at a multiple of the interval) for events at the given instants. */
function bucketsOf(times: number[], intervalMs: number, priority = 'Warning'): HistogramBucket[] {
  const byStart = new Map<number, number>();
  for (const t of times) {
    const start = Math.floor(t / intervalMs) * intervalMs;
    byStart.set(start, (byStart.get(start) ?? 0) + 1);
  }
  return [...byStart].map(([start, n]) => ({
    time: new Date(start).toISOString(),
    counts: { [priority]: n },
  }));
}

describe('time axis of the overview chart', () => {
  const to = Date.now();
  const from = to - HOUR;

  it('1 h with events only in its first and last minutes: two bars at the edges, zeros between', () => {
    // the first and last instants of the range, plus a few seconds inside each edge minute
    const times = [from, from + 1, to - 1, to];
    const { container } = render(
      <StackedHistogram buckets={bucketsOf(times, MINUTE)} from={from} to={to} intervalMs={MINUTE} />,
    );
    const slots = [...container.querySelectorAll('g.slot')];
    // one slot per minute over the whole hour, the partly covered minutes at both ends included
    expect(slots.length).toBe(61);
    const totals = slots.map((g) => Number(g.getAttribute('data-total')));
    const withBars = slots.map((g, i) => (g.querySelector('rect') === null ? -1 : i)).filter((i) => i >= 0);
    expect(withBars[0]).toBe(0);
    expect(withBars[withBars.length - 1]).toBe(slots.length - 1);
    expect(withBars.length).toBeLessThanOrEqual(4);
    // every bar sits within the first two or last two slots; the middle is empty
    for (const i of withBars) expect(i <= 1 || i >= slots.length - 2).toBe(true);
    expect(totals.slice(2, -2).every((n) => n === 0)).toBe(true);
    expect(totals.reduce((a, n) => a + n, 0)).toBe(4);
    // the bars are at the left and right edges of the plot, not spread across it
    const xs = [...container.querySelectorAll('rect')].map((r) => Number(r.getAttribute('x')));
    const step = (900 - 44 - 8) / slots.length;
    expect(Math.min(...xs)).toBeLessThan(44 + 2 * step);
    expect(Math.max(...xs)).toBeGreaterThan(900 - 8 - 2 * step);
  });

  it('a single event does not fill the width: one bar among empty slots', () => {
    const { container } = render(
      <StackedHistogram
        buckets={bucketsOf([to - 30 * MINUTE], MINUTE)}
        from={from}
        to={to}
        intervalMs={MINUTE}
      />,
    );
    expect(container.querySelectorAll('g.slot')).toHaveLength(61);
    expect(container.querySelectorAll('rect')).toHaveLength(1);
  });

  it('no events: every slot at zero, the axis still spans the range', () => {
    const slots = timeSlots([], from, to, MINUTE);
    expect(slots).toHaveLength(61);
    expect(slots.every((s) => s.total === 0)).toBe(true);
    expect(slots[0]?.start).toBe(Math.floor(from / MINUTE) * MINUTE);
    expect(slots[60]?.start).toBe(Math.floor(to / MINUTE) * MINUTE);
  });

  it('a bucket the server put past our end (clock skew) widens the axis instead of vanishing', () => {
    const slots = timeSlots(bucketsOf([to + 2 * MINUTE], MINUTE), from, to, MINUTE);
    expect(slots).toHaveLength(63);
    expect(slots[62]?.total).toBe(1);
  });

  it('ticks fall on round local times inside the range, labelled in the local zone', () => {
    const ticks = timeTicks(from, to);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks.length).toBeLessThanOrEqual(8);
    const fmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
    for (const t of ticks) {
      expect(t.at).toBeGreaterThanOrEqual(from);
      expect(t.at).toBeLessThanOrEqual(to);
      expect(new Date(t.at).getMinutes() % 10).toBe(0);
      expect(new Date(t.at).getSeconds()).toBe(0);
      expect(t.label).toBe(fmt.format(t.at));
    }
    // a week: one tick per local midnight
    const week = timeTicks(to - 7 * 24 * HOUR, to);
    expect(week.length).toBe(7);
    for (const t of week) expect([new Date(t.at).getHours(), new Date(t.at).getMinutes()]).toEqual([0, 0]);
  });
});
