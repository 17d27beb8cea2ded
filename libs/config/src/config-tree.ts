/** The configuration as read from YAML and the environment, before validation, and the tools to read it. */

export type Tree = Record<string, unknown>;

/** Names inside these maps keep their case (`nsOrNone` stays `nsOrNone`). */
export const PRESERVE_CASE = new Set([
  'customfields',
  'templatedfields',
  'customheaders',
  'fields',
  'labels',
]);

export function nonEmpty(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && v !== false;
}

export function isTree(v: unknown): v is Tree {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function lowerKeys(value: unknown, preserve = false): unknown {
  if (Array.isArray(value)) return value.map((v) => lowerKeys(v));
  if (!isTree(value)) return value;
  const out: Tree = {};
  for (const [k, v] of Object.entries(value)) {
    const key = preserve ? k : k.toLowerCase();
    out[key] = preserve ? v : lowerKeys(v, PRESERVE_CASE.has(key));
  }
  return out;
}

export function configPath(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--config' || a === '-c') return argv[i + 1];
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  const fromEnv = env?.['FALCONER_CONFIG'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

export function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] as string;
    if (!isTree(node[seg])) node[seg] = {};
    node = node[seg] as Tree;
  }
  node[path[path.length - 1] as string] = value;
}

export function getPath(tree: unknown, path: string): unknown {
  let cur = tree;
  for (const p of path.split('.')) {
    if (!isTree(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Reads typed values from the tree, collecting every problem instead of stopping at the first. */
export class Collector {
  readonly errors: string[] = [];
  get<T>(tree: Tree, path: string, key: string, fallback: T, coerce: (v: unknown) => T): T {
    const v = tree[key];
    if (v === undefined || v === null || v === '') return fallback;
    try {
      return coerce(v);
    } catch (err) {
      this.errors.push(`${path}${key}: ${(err as Error).message}`);
      return fallback;
    }
  }
  section(tree: Tree, key: string): Tree {
    const v = tree[key];
    if (v === undefined || v === null) return {};
    if (!isTree(v)) {
      this.errors.push(`${key}: expected a map`);
      return {};
    }
    return v;
  }
}
