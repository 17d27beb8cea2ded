// A process-wide cache: see ./index.ts for what these caches promise.
import { goJsonString } from '../json/go-json';

/** One set of output_fields keys (in the order received), sorted, each with its escaped `"key":` prefix. */
interface FieldLayout {
  keys: readonly string[];
  sorted: readonly string[];
  prefixes: readonly string[];
}

/** Layouts of the last few key sets: alerts of one rule carry the same keys, so sorting is rarely needed. */
const layouts: FieldLayout[] = [];
const MAX_LAYOUTS = 8;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function layoutOf(keys: readonly string[]): FieldLayout {
  for (const l of layouts) if (sameKeys(l.keys, keys)) return l;
  const sorted = [...keys].sort();
  const layout = { keys, sorted, prefixes: sorted.map((k, i) => (i > 0 ? ',' : '') + goJsonString(k) + ':') };
  if (layouts.length >= MAX_LAYOUTS) layouts.pop();
  layouts.unshift(layout);
  return layout;
}
