/**
 * `*` (any run of characters, including none) and `?` (one character) globs: the one matcher of routing
 * filters, the drop filter and remediator rules. Case-sensitive, whole-string, like Falco rule names.
 *
 * No RegExp: a pattern such as `*shell*in*container*` compiled to `[\s\S]*` groups backtracks
 * catastrophically on a long value that almost matches (a 28 KB rule name blocked the router 57 s).
 * Here the pattern is split at `*` into literal segments (`?` inside a segment matches any one
 * character); the first is a prefix, the last a suffix, and each middle segment is taken at its
 * leftmost position after the previous one. Leftmost is always safe for `*` globs, so the cost is
 * O(value × pattern) in the worst case and one `indexOf` per segment without `?` — never exponential.
 */
export type StringTest = (value: string) => boolean;

type Chars = string | readonly string[];

const WILDCARD = /[*?]/;
const SURROGATE = /[\uD800-\uDFFF]/;

/** True when `seg` (with `?` = any one char) matches `value` at `at`. */
function segmentAt(value: Chars, at: number, seg: Chars): boolean {
  if (at + seg.length > value.length) return false;
  for (let i = 0; i < seg.length; i++) {
    const p = seg[i];
    if (p !== '?' && p !== value[at + i]) return false;
  }
  return true;
}

/** Leftmost position ≥ from where `seg` matches, or -1. */
function find(value: Chars, seg: Chars, from: number): number {
  if (typeof value === 'string' && typeof seg === 'string' && !seg.includes('?'))
    return value.indexOf(seg, from);
  for (let at = from; at + seg.length <= value.length; at++) if (segmentAt(value, at, seg)) return at;
  return -1;
}

function matchSegments(segments: readonly Chars[], value: Chars): boolean {
  const first = segments[0] as Chars;
  if (segments.length === 1) return value.length === first.length && segmentAt(value, 0, first);
  const last = segments[segments.length - 1] as Chars;
  if (value.length < first.length + last.length) return false;
  if (!segmentAt(value, 0, first) || !segmentAt(value, value.length - last.length, last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const seg = segments[i] as Chars;
    if (seg.length === 0) continue;
    const at = find(value, seg, pos);
    if (at < 0 || at + seg.length > end) return false;
    pos = at + seg.length;
  }
  return true;
}

export function compileGlob(pattern: string): StringTest {
  if (!WILDCARD.test(pattern)) return (v) => v === pattern;
  // `?` is one character (code point): with `?` or astral characters in the pattern, segments and
  // values that hold surrogate pairs are compared as arrays of code points
  if (!pattern.includes('?') && !SURROGATE.test(pattern)) {
    const segments = pattern.split('*');
    return (v) => matchSegments(segments, v);
  }
  const segments: string[][] = [[]];
  for (const ch of pattern) {
    if (ch === '*') segments.push([]);
    else (segments[segments.length - 1] as string[]).push(ch);
  }
  return (v) => matchSegments(segments, SURROGATE.test(v) ? Array.from(v) : v);
}

/** True when any of the patterns matches; exact names are looked up in a Set. */
export function compileGlobs(patterns: readonly string[]): StringTest {
  const exact = new Set(patterns.filter((p) => !WILDCARD.test(p)));
  const globs = patterns.filter((p) => WILDCARD.test(p)).map(compileGlob);
  if (globs.length === 0) return (v) => exact.has(v);
  return (v) => exact.has(v) || globs.some((g) => g(v));
}
