import type { FalcoEvent } from '@falconer/contracts';
import type { CompiledDrop, Predicate } from './filter';

/** The rule of the test event (`POST /test`). */
export const TEST_RULE = 'Test rule';

/** The test event reaches every output and is never dropped, whatever the filters say (as in falcosidekick). */
export function isTestEvent(event: FalcoEvent): boolean {
  return event.rule === TEST_RULE;
}

/** An output instance as routing sees it: its name and its compiled filter (compileFilter). */
export interface RouteTarget {
  readonly name: string;
  readonly matches: Predicate;
}

/** Every routing decision of one configuration, made in one place. */
export interface EventRouter {
  /** Names of every output, in configuration order. */
  readonly outputs: readonly string[];
  /** True when the global `drop:` filter discards the event before it is recorded. */
  drops(event: FalcoEvent): boolean;
  /** Names of the outputs the event goes to, in configuration order. */
  route(event: FalcoEvent): string[];
}

export function createEventRouter(targets: readonly RouteTarget[], drop: CompiledDrop): EventRouter {
  const all = targets.map((t) => t.name);
  return {
    outputs: all,
    drops: (event) => !isTestEvent(event) && drop.drops(event),
    route(event) {
      if (isTestEvent(event)) return all.slice();
      const names: string[] = [];
      for (const t of targets) if (t.matches(event)) names.push(t.name);
      return names;
    },
  };
}
