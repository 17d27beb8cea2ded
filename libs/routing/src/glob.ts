/**
 * `*` (any run of characters, including none) and `?` (one character) globs, compiled once to a
 * RegExp; a pattern without wildcards is an exact comparison. Case-sensitive, like Falco rule names.
 */
export type StringTest = (value: string) => boolean;

export function compileGlob(pattern: string): StringTest {
  if (!/[*?]/.test(pattern)) return (v) => v === pattern;
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((ch) =>
          ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
        )
        .join('') +
      '$',
    'u',
  );
  return (v) => re.test(v);
}

/** True when any of the patterns matches; exact names are looked up in a Set. */
export function compileGlobs(patterns: readonly string[]): StringTest {
  const exact = new Set(patterns.filter((p) => !/[*?]/.test(p)));
  const globs = patterns.filter((p) => /[*?]/.test(p)).map(compileGlob);
  if (globs.length === 0) return (v) => exact.has(v);
  return (v) => exact.has(v) || globs.some((g) => g(v));
}
