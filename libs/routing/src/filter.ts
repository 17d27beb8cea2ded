import { PRIORITY_LEVEL, type FalcoEvent, type FieldValue, type Priority } from '@falconer/contracts';
import { parsePriority } from '@falconer/falco';
import { asBool, asString, asStringList } from '@falconer/util';
import { compileGlobs } from '@falconer/util';

export type Predicate = (event: FalcoEvent) => boolean;

export interface CompiledFilter {
  /** True when the event meets the conditions (the test event's bypass is the EventRouter's). */
  readonly matches: Predicate;
  /** The filter in words, for the API and dashboard: `priority ≥ Warning and tags any of [container]`. */
  readonly describe: string;
  /** True when the filter has no condition (matches every event). */
  readonly empty: boolean;
}

export type CompileResult = { filter: CompiledFilter; errors: readonly string[] };

const KNOWN = ['minimumpriority', 'priorities', 'rules', 'tags', 'sources', 'hostnames', 'fields'] as const;

/** `syscall` and `syscalls` name the same source (Falco renamed it). */
function normSource(s: string): string {
  const l = s.trim().toLowerCase();
  return l === 'syscalls' ? 'syscall' : l;
}

function fieldText(v: FieldValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return undefined;
  return String(v);
}

/** A field condition tests the value, or each element of a list value (any element may match). */
function anyValue(v: FieldValue | undefined, test: (s: string) => boolean): boolean {
  if (Array.isArray(v)) return (v as readonly FieldValue[]).some((x) => anyValue(x, test));
  const s = fieldText(v);
  return s !== undefined && test(s);
}

/** Own keys only: output_fields may be a plain object, and `constructor` must not reach its prototype. */
function field(e: FalcoEvent, name: string): FieldValue | undefined {
  return Object.hasOwn(e.output_fields, name) ? e.output_fields[name] : undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const list = (xs: readonly string[]): string => `[${xs.join(', ')}]`;

/**
 * Compiles a filter (routing.md) once: the AND of the conditions present; an absent condition matches
 * everything. Accepts YAML values or environment strings (`a,b` lists). Every problem is reported as
 * `<path>.<key>: <message>`; with errors the returned filter matches nothing.
 */
export function compileFilter(spec: unknown, path = 'filter'): CompileResult {
  const errors: string[] = [];
  const tests: Predicate[] = [];
  const words: string[] = [];
  const err = (key: string, msg: string): void => {
    errors.push(`${path}.${key}: ${msg}`);
  };
  const strings = (key: string, v: unknown): string[] => {
    try {
      return asStringList(v);
    } catch (e) {
      err(key, (e as Error).message);
      return [];
    }
  };
  const priority = (key: string, v: unknown): Priority | undefined => {
    const name = typeof v === 'string' ? v : undefined;
    const p = name === undefined ? undefined : parsePriority(name);
    if (p === undefined)
      err(
        key,
        `unknown priority ${JSON.stringify(v)} (expected emergency|alert|critical|error|warning|notice|informational|info|debug)`,
      );
    return p;
  };

  if (spec === undefined || spec === null || spec === '') return finish();
  if (!isMap(spec)) {
    err('', 'expected a map of conditions');
    return finish();
  }
  for (const key of Object.keys(spec)) {
    if (!(KNOWN as readonly string[]).includes(key.toLowerCase()))
      err(key, `unknown condition (expected ${KNOWN.join('|')})`);
  }
  const get = (key: string): unknown => {
    for (const k of Object.keys(spec)) if (k.toLowerCase() === key) return spec[k];
    return undefined;
  };

  const minp = get('minimumpriority');
  if (minp !== undefined && minp !== null && minp !== '') {
    const p = priority('minimumpriority', minp);
    if (p !== undefined) {
      const min = PRIORITY_LEVEL[p];
      tests.push((e) => PRIORITY_LEVEL[e.priority] >= min);
      words.push(`priority ≥ ${p}`);
    }
  }

  const prios = get('priorities');
  if (prios !== undefined && prios !== null && prios !== '') {
    const set = new Set<Priority>();
    strings('priorities', prios).forEach((n, i) => {
      const p = priority(`priorities[${i}]`, n);
      if (p !== undefined) set.add(p);
    });
    tests.push((e) => set.has(e.priority));
    words.push(`priority in ${list([...set])}`);
  }

  const rules = get('rules');
  if (rules !== undefined && rules !== null) {
    if (!isMap(rules)) err('rules', 'expected { include: [...], exclude: [...] }');
    else {
      for (const k of Object.keys(rules))
        if (k !== 'include' && k !== 'exclude') err(`rules.${k}`, 'unknown key (expected include|exclude)');
      const inc = strings('rules.include', rules['include']);
      const exc = strings('rules.exclude', rules['exclude']);
      if (inc.length > 0) {
        const t = compileGlobs(inc);
        tests.push((e) => t(e.rule));
        words.push(`rule is ${list(inc)}`);
      }
      if (exc.length > 0) {
        const t = compileGlobs(exc);
        tests.push((e) => !t(e.rule));
        words.push(`rule is not ${list(exc)}`);
      }
    }
  }

  const tags = get('tags');
  if (tags !== undefined && tags !== null) {
    if (!isMap(tags)) err('tags', 'expected { any: [...], all: [...], none: [...] }');
    else {
      for (const k of Object.keys(tags))
        if (!['any', 'all', 'none'].includes(k)) err(`tags.${k}`, 'unknown key (expected any|all|none)');
      const any = strings('tags.any', tags['any']);
      const all = strings('tags.all', tags['all']);
      const none = strings('tags.none', tags['none']);
      if (any.length > 0) {
        tests.push((e) => e.tags.some((t) => any.includes(t)));
        words.push(`tags any of ${list(any)}`);
      }
      if (all.length > 0) {
        tests.push((e) => all.every((t) => e.tags.includes(t)));
        words.push(`tags all of ${list(all)}`);
      }
      if (none.length > 0) {
        tests.push((e) => !e.tags.some((t) => none.includes(t)));
        words.push(`tags none of ${list(none)}`);
      }
    }
  }

  const sources = get('sources');
  if (sources !== undefined && sources !== null && sources !== '') {
    const xs = strings('sources', sources);
    const set = new Set(xs.map(normSource));
    tests.push((e) => set.has(normSource(e.source)));
    words.push(`source in ${list(xs)}`);
  }

  const hosts = get('hostnames');
  if (hosts !== undefined && hosts !== null && hosts !== '') {
    const xs = strings('hostnames', hosts);
    const t = compileGlobs(xs);
    tests.push((e) => t(e.hostname));
    words.push(`hostname is ${list(xs)}`);
  }

  const fields = get('fields');
  if (fields !== undefined && fields !== null) {
    if (!isMap(fields)) err('fields', 'expected a map of output field names to conditions');
    else {
      for (const name of Object.keys(fields)) {
        const cond = fields[name];
        const fk = `fields.${name}`;
        if (!isMap(cond) || Object.keys(cond).length === 0) {
          err(fk, 'expected { in | notin | glob | exists | equals: ... }');
          continue;
        }
        for (const op of Object.keys(cond)) {
          const v = cond[op];
          switch (op) {
            case 'in': {
              const set = new Set(strings(`${fk}.in`, v));
              tests.push((e) => anyValue(field(e, name), (s) => set.has(s)));
              words.push(`${name} in ${list([...set])}`);
              break;
            }
            case 'notin': {
              const set = new Set(strings(`${fk}.notin`, v));
              tests.push((e) => !anyValue(field(e, name), (s) => set.has(s)));
              words.push(`${name} not in ${list([...set])}`);
              break;
            }
            case 'glob': {
              const pats = strings(`${fk}.glob`, v);
              const t = compileGlobs(pats);
              tests.push((e) => anyValue(field(e, name), t));
              words.push(`${name} matches ${pats.length === 1 ? (pats[0] as string) : list(pats)}`);
              break;
            }
            case 'equals': {
              let want = '';
              try {
                want = asString(v);
              } catch (e) {
                err(`${fk}.equals`, (e as Error).message);
              }
              const t = (s: string): boolean => s === want;
              tests.push((e) => anyValue(field(e, name), t));
              words.push(`${name} = ${want}`);
              break;
            }
            case 'exists': {
              let want = true;
              try {
                want = asBool(v);
              } catch (e) {
                err(`${fk}.exists`, (e as Error).message);
              }
              const has = (e: FalcoEvent): boolean => {
                const x = field(e, name);
                return x !== undefined && x !== null;
              };
              tests.push(want ? has : (e) => !has(e));
              words.push(want ? `${name} exists` : `${name} is absent`);
              break;
            }
            default:
              err(`${fk}.${op}`, 'unknown operator (expected in|notin|glob|exists|equals)');
          }
        }
      }
    }
  }
  return finish();

  function finish(): CompileResult {
    if (errors.length > 0)
      return { filter: { matches: () => false, describe: 'invalid filter', empty: false }, errors };
    const all = tests.slice();
    let matches: Predicate;
    if (all.length === 0) matches = () => true;
    else if (all.length === 1) matches = all[0] as Predicate;
    else matches = (e) => all.every((t) => t(e));
    return {
      filter: {
        matches,
        describe: words.length === 0 ? 'every event' : words.join(' and '),
        empty: all.length === 0,
      },
      errors,
    };
  }
}

export interface CompiledDrop {
  /** True when the event is to be discarded before recording (the test event's bypass is the EventRouter's). */
  readonly drops: Predicate;
  readonly describe: string;
}

/**
 * The global `drop:` filter (same language). An empty or absent `drop:` drops nothing — unlike an
 * output filter, where no condition means "everything".
 */
export function compileDrop(spec: unknown, path = 'drop'): { drop: CompiledDrop; errors: readonly string[] } {
  const { filter, errors } = compileFilter(spec, path);
  if (errors.length > 0 || filter.empty) {
    return {
      drop: { drops: () => false, describe: errors.length > 0 ? 'invalid filter' : 'nothing' },
      errors,
    };
  }
  return {
    drop: { drops: filter.matches, describe: filter.describe },
    errors,
  };
}
