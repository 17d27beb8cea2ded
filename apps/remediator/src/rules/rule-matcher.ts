import type { FalcoEvent, FieldScalar, FieldValue } from '@falconer/contracts';
import { priorityLevel } from '@falconer/falco';
import { compileGlobs } from '@falconer/util';
import type { Comparator, ResponseRule, RuleMatch } from './rules';

function compare(op: Comparator, a: number, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** The text a field value is compared as: numbers keep their exact spelling, null is "null". */
function fieldTexts(value: FieldValue | undefined): string[] {
  if (value === undefined) return [];
  const list: readonly FieldScalar[] = Array.isArray(value)
    ? (value as readonly FieldScalar[])
    : [value as FieldScalar];
  return list.map((v) => (v === null ? 'null' : String(v)));
}

type Predicate = (event: FalcoEvent) => boolean;

/**
 * A rule's conditions compiled once: rule names and field values with the shared glob matcher
 * (libs/util glob.ts, the one routing filters use: `*` and `?`, whole string, linear time).
 */
function compile(match: RuleMatch): Predicate {
  const rules = match.rules === undefined ? undefined : compileGlobs(match.rules);
  const fields =
    match.fields === undefined
      ? undefined
      : Object.entries(match.fields).map(([key, accepted]) => [key, compileGlobs(accepted)] as const);
  return (event) => {
    if (rules !== undefined && !rules(event.rule)) return false;
    if (
      match.priority !== undefined &&
      !compare(match.priority.op, priorityLevel(event.priority), priorityLevel(match.priority.priority))
    ) {
      return false;
    }
    if (match.tags !== undefined && !match.tags.every((t) => event.tags.includes(t))) return false;
    if (match.sources !== undefined && !match.sources.includes(event.source)) return false;
    if (fields !== undefined) {
      for (const [key, test] of fields) if (!fieldTexts(event.output_fields[key]).some(test)) return false;
    }
    return true;
  };
}

/** Compiled conditions of the loaded rules (parsed once per rules file, so the map stays small). */
const compiled = new WeakMap<RuleMatch, Predicate>();

export function matches(match: RuleMatch, event: FalcoEvent): boolean {
  let test = compiled.get(match);
  if (test === undefined) {
    test = compile(match);
    compiled.set(match, test);
  }
  return test(event);
}

/** The rules that apply to an event, in file order, stopping after a matching rule with `continue: false`. */
export function selectRules(rules: readonly ResponseRule[], event: FalcoEvent): ResponseRule[] {
  const out: ResponseRule[] = [];
  for (const r of rules) {
    if (!matches(r.match, event)) continue;
    out.push(r);
    if (!r.continue) break;
  }
  return out;
}
