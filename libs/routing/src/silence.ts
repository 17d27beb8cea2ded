import type { FalcoEvent, Silence } from '@falconer/contracts';
import { isTestEvent } from './event-router';
import { compileFilter, type Predicate } from './filter';

/** A silence ready to test events: its matcher compiled once, its window in epoch milliseconds. */
export interface CompiledSilence {
  readonly id: string;
  readonly matches: Predicate;
  /** The outputs it mutes; undefined = every output. */
  readonly outputs: ReadonlySet<string> | undefined;
  readonly startsMs: number;
  readonly endsMs: number;
}

/** Compiles a stored silence; undefined when its filter no longer compiles (it then mutes nothing). */
export function compileSilence(s: Silence): CompiledSilence | undefined {
  const { filter, errors } = compileFilter(s.filter);
  const startsMs = Date.parse(s.startsAt);
  const endsMs = Date.parse(s.endsAt);
  if (errors.length > 0 || Number.isNaN(startsMs) || Number.isNaN(endsMs)) return undefined;
  return {
    id: s.id,
    matches: filter.matches,
    outputs: s.outputs.length === 0 ? undefined : new Set(s.outputs),
    startsMs,
    endsMs,
  };
}

/** Active at `nowMs`: from its start (inclusive) to its end (exclusive), exact to the millisecond. */
export function isActive(s: Pick<CompiledSilence, 'startsMs' | 'endsMs'>, nowMs: number): boolean {
  return s.startsMs <= nowMs && nowMs < s.endsMs;
}

export interface SilenceDecision {
  /** The outputs the event is queued for. */
  send: string[];
  /** Muted outputs, each with the id of the (first) silence that muted it. */
  muted: { output: string; silence: string }[];
}

/**
 * The second half of "which outputs get this event": `targets` are the outputs whose filters matched;
 * an active silence that matches the event takes its outputs out. The test event is never silenced (as
 * it passes every filter, so that `POST /test` always checks every output).
 */
export function applySilences(
  event: FalcoEvent,
  targets: readonly string[],
  silences: readonly CompiledSilence[],
  nowMs: number,
): SilenceDecision {
  if (silences.length === 0 || targets.length === 0 || isTestEvent(event))
    return { send: targets as string[], muted: [] };
  const hits = silences.filter((s) => isActive(s, nowMs) && s.matches(event));
  if (hits.length === 0) return { send: targets as string[], muted: [] };
  const send: string[] = [];
  const muted: SilenceDecision['muted'] = [];
  for (const output of targets) {
    const by = hits.find((s) => s.outputs === undefined || s.outputs.has(output));
    if (by === undefined) send.push(output);
    else muted.push({ output, silence: by.id });
  }
  return { send, muted };
}
