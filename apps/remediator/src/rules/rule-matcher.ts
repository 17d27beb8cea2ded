import type { FalcoEvent, FieldScalar, FieldValue } from '@falconer/contracts';
import { compileGlob, type StringTest } from '@falconer/util';
import { priorityLevel, type Comparator, type ResponseRule, type RuleMatch } from './rules';

const globCache = new Map<string, StringTest>();
/** Distinct patterns are few (they come from the rules file); the bound only guards against misuse. */
const GLOB_CACHE_MAX = 10_000;

/** `*` any run of characters, `?` one character; everything else literal; whole-string match (linear time). */
export function globMatch(pattern: string, value: string): boolean {
  let test = globCache.get(pattern);
  if (test === undefined) {
    test = compileGlob(pattern);
    if (globCache.size >= GLOB_CACHE_MAX) globCache.clear();
    globCache.set(pattern, test);
  }
  return test(value);
}

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

export function matches(match: RuleMatch, event: FalcoEvent): boolean {
  if (match.rules !== undefined && !match.rules.some((p) => globMatch(p, event.rule))) return false;
  if (
    match.priority !== undefined &&
    !compare(match.priority.op, priorityLevel(event.priority), priorityLevel(match.priority.priority))
  ) {
    return false;
  }
  if (match.tags !== undefined && !match.tags.every((t) => event.tags.includes(t))) return false;
  if (match.sources !== undefined && !match.sources.includes(event.source)) return false;
  if (match.fields !== undefined) {
    for (const [key, accepted] of Object.entries(match.fields)) {
      const texts = fieldTexts(event.output_fields[key]);
      if (!texts.some((t) => accepted.some((p) => globMatch(p, t)))) return false;
    }
  }
  return true;
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
