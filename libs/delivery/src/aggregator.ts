import type { FalcoEvent, FieldValue } from '@falconer/contracts';
import type { AggregateSettings } from './settings';

const TOP_LEVEL = new Set(['rule', 'hostname', 'priority', 'source', 'output']);

function fieldText(v: FieldValue | undefined): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return (v as readonly unknown[]).map((x) => String(x)).join(',');
  return String(v);
}

/** The aggregation key of an event: the named fields, joined with a separator that cannot occur in them. */
export function aggregateKey(event: FalcoEvent, paths: readonly string[]): string {
  const parts: string[] = [];
  for (const p of paths) {
    if (TOP_LEVEL.has(p)) parts.push(event[p as 'rule' | 'hostname' | 'priority' | 'source' | 'output']);
    else {
      const name = p.startsWith('output_fields.') ? p.slice('output_fields.'.length) : p;
      parts.push(fieldText(event.output_fields[name]));
    }
  }
  return parts.join('\u0000');
}

function windowText(ms: number): string {
  return ms % 3_600_000 === 0 && ms >= 7_200_000 ? `${ms / 3_600_000}h` : `${Math.round(ms / 1000)}s`;
}

/** The message that stands for `count` identical alerts: the last one, its output text suffixed. */
export function summaryEvent(last: FalcoEvent, count: number, windowMs: number): FalcoEvent {
  return { ...last, output: `${last.output} (×${count} in ${windowText(windowMs)})` };
}

/** What the dispatcher folds alerts through: one process's windows, or windows shared through Redis. */
export interface Folding {
  /** True: send this event now. False: it was folded into the open window. */
  offer(event: FalcoEvent): boolean | Promise<boolean>;
  /** Shutdown: emits the pending summaries now. */
  flush(): void | Promise<void>;
}

interface Window {
  count: number;
  last: FalcoEvent;
  timer: NodeJS.Timeout;
}

/**
 * Opt-in flood control for one output. The first alert of a key goes out at once and opens a window;
 * identical alerts inside it are only counted; when the window ends and some were counted, one
 * summary "…(×N in 60s)" is emitted and the window starts again, so a steady flood becomes one
 * message per window. A quiet window closes.
 */
export class Aggregator implements Folding {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly settings: AggregateSettings,
    private readonly emit: (summary: FalcoEvent, folded: number) => void,
  ) {}

  /** True: send this event now. False: it was folded into the open window. */
  offer(event: FalcoEvent): boolean {
    const key = aggregateKey(event, this.settings.key);
    const w = this.windows.get(key);
    if (w !== undefined) {
      w.count++;
      w.last = event;
      return false;
    }
    this.open(key, event);
    return true;
  }

  private open(key: string, event: FalcoEvent): void {
    const timer = setTimeout(() => this.close(key), this.settings.windowMs);
    timer.unref();
    this.windows.set(key, { count: 0, last: event, timer });
  }

  private close(key: string): void {
    const w = this.windows.get(key);
    if (w === undefined) return;
    this.windows.delete(key);
    if (w.count === 0) return;
    this.emit(summaryEvent(w.last, w.count, this.settings.windowMs), w.count);
    this.open(key, w.last);
  }

  /** Alerts counted but not yet summarised. */
  get pending(): number {
    let n = 0;
    for (const w of this.windows.values()) n += w.count;
    return n;
  }

  /** Shutdown: emits every pending summary now and closes all windows. */
  flush(): void {
    for (const [key, w] of [...this.windows]) {
      clearTimeout(w.timer);
      this.windows.delete(key);
      if (w.count > 0) this.emit(summaryEvent(w.last, w.count, this.settings.windowMs), w.count);
    }
  }
}
