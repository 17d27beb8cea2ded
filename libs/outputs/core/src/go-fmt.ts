import type { FieldValue } from '@falconer/contracts';

/**
 * How Go prints an output field value that falcosidekick decoded with `UseNumber` (`fmt` `%v`, or a
 * template action): numbers as received, arrays as `[a b]`, and nil as `nil` says — `<nil>` for `%v`,
 * `<no value>` for text/template, empty for html/template.
 */
export function goPrint(v: FieldValue | undefined, nil = '<nil>'): string {
  if (v === null || v === undefined) return nil;
  if (Array.isArray(v)) return `[${v.map((x: FieldValue) => goPrint(x, '<nil>')).join(' ')}]`;
  return String(v);
}
