import { LosslessNumber } from '@falconer/contracts';

/**
 * A small, safe interpreter of the Go text/template subset falcosidekick configs use:
 * literal text, `{{ . }}`, field access `{{ .Rule }}` / `{{ .a.b }}`, `index`, `or`, `and`, `not`,
 * `printf "%s"`-free string literals and parentheses, trim markers `{{-`/`-}}`.
 * Anything else is a compile error (a start-up error naming the key). Never evaluates code.
 */
export type TemplateData = unknown;
export type CompiledTemplate = (data: TemplateData) => string;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Node =
  | { t: 'dot'; path: string[] }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'call'; fn: 'index' | 'or' | 'and' | 'not'; args: Node[] };

const FUNCS = new Set(['index', 'or', 'and', 'not']);

function tokenize(src: string): string[] {
  const tokens: string[] = [];
  const re =
    /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(\()|(\))|(\.[A-Za-z0-9_.]*|\.)|([A-Za-z_][A-Za-z0-9_]*)|(-?\d+(?:\.\d+)?)|(\S))/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src)) !== null) {
    const tok = m.slice(1).find((x) => x !== undefined);
    if (tok === undefined) break;
    if (m[8] !== undefined) throw new TemplateError(`unexpected ${JSON.stringify(tok)} in {{${src}}}`);
    tokens.push(tok);
    if (re.lastIndex >= src.length) break;
  }
  return tokens.filter((t) => t.trim() !== '');
}

function parseAction(src: string): Node {
  const tokens = tokenize(src);
  let i = 0;
  const term = (): Node => {
    const tok = tokens[i++];
    if (tok === undefined) throw new TemplateError(`unexpected end of {{${src}}}`);
    if (tok === '(') {
      const node = command(true);
      if (tokens[i++] !== ')') throw new TemplateError(`missing ")" in {{${src}}}`);
      return node;
    }
    if (tok.startsWith('"')) return { t: 'str', v: JSON.parse(tok) as string };
    if (tok.startsWith('`')) return { t: 'str', v: tok.slice(1, -1) };
    if (tok.startsWith('.'))
      return {
        t: 'dot',
        path:
          tok === '.'
            ? []
            : tok
                .slice(1)
                .split('.')
                .filter((p) => p !== ''),
      };
    if (/^-?\d/.test(tok)) return { t: 'num', v: Number(tok) };
    if (FUNCS.has(tok))
      throw new TemplateError(`function ${tok} needs parentheses when used as an argument in {{${src}}}`);
    throw new TemplateError(
      `unsupported ${JSON.stringify(tok)} in {{${src}}} (only field access, index, or, and, not and strings)`,
    );
  };
  const command = (nested: boolean): Node => {
    const tok = tokens[i];
    if (tok !== undefined && FUNCS.has(tok)) {
      i++;
      const args: Node[] = [];
      while (i < tokens.length && tokens[i] !== ')') args.push(term());
      const fn = tok as 'index' | 'or' | 'and' | 'not';
      if (fn === 'index' && args.length < 2)
        throw new TemplateError(`index needs a value and at least one key in {{${src}}}`);
      if ((fn === 'or' || fn === 'and') && args.length < 1)
        throw new TemplateError(`${fn} needs arguments in {{${src}}}`);
      if (fn === 'not' && args.length !== 1) throw new TemplateError(`not needs one argument in {{${src}}}`);
      return { t: 'call', fn, args };
    }
    if (tok !== undefined && /^[A-Za-z_]/.test(tok)) {
      throw new TemplateError(
        `unsupported function ${JSON.stringify(tok)} in {{${src}}} (only index, or, and, not)`,
      );
    }
    const node = term();
    if (!nested && i < tokens.length)
      throw new TemplateError(`unexpected ${JSON.stringify(tokens[i])} in {{${src}}}`);
    return node;
  };
  if (tokens.length === 0) throw new TemplateError('empty action {{}}');
  const node = command(false);
  if (i < tokens.length) throw new TemplateError(`unexpected ${JSON.stringify(tokens[i])} in {{${src}}}`);
  return node;
}

function lookup(value: unknown, key: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value) && typeof key === 'number') return value[key] as unknown;
  if (typeof value === 'object' && typeof key === 'string') {
    return Object.prototype.hasOwnProperty.call(value, key)
      ? (value as Record<string, unknown>)[key]
      : undefined;
  }
  return undefined;
}

function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (v instanceof LosslessNumber) return Number(v.text) !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function evaluate(node: Node, data: unknown): unknown {
  switch (node.t) {
    case 'str':
    case 'num':
      return node.v;
    case 'dot':
      return node.path.reduce<unknown>((v, k) => lookup(v, k), data);
    case 'call': {
      if (node.fn === 'index') {
        const [target, ...keys] = node.args;
        let v = evaluate(target as Node, data);
        for (const k of keys) v = lookup(v, evaluate(k, data));
        return v;
      }
      if (node.fn === 'not') return !truthy(evaluate(node.args[0] as Node, data));
      let last: unknown;
      for (const a of node.args) {
        last = evaluate(a, data);
        if (node.fn === 'or' ? truthy(last) : !truthy(last)) return last;
      }
      return last;
    }
  }
}

/** How Go's text/template prints a value. */
export function goPrint(v: unknown): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'string') return v;
  if (v instanceof LosslessNumber) return v.text;
  if (Array.isArray(v))
    return '[' + v.map((x) => (x === null || x === undefined ? '<nil>' : goPrint(x))).join(' ') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return 'map[' + keys.map((k) => `${k}:${goPrint((v as Record<string, unknown>)[k])}`).join(' ') + ']';
  }
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
}

/** Compiles a template once; throws TemplateError for anything outside the subset. */
export function compileTemplate(src: string): CompiledTemplate {
  const parts: (string | Node)[] = [];
  let pos = 0;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    if (open < 0) {
      parts.push(src.slice(pos));
      break;
    }
    let text = src.slice(pos, open);
    const close = src.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`unclosed action at position ${open}`);
    let inner = src.slice(open + 2, close);
    if (inner.startsWith('-') && /^-\s/.test(inner)) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    let trimAfter = false;
    if (/\s-$/.test(inner)) {
      trimAfter = true;
      inner = inner.slice(0, -1);
    }
    if (text !== '') parts.push(text);
    const trimmed = inner.trim();
    if (!trimmed.startsWith('/*')) parts.push(parseAction(trimmed));
    pos = close + 2;
    if (trimAfter) while (pos < src.length && /\s/.test(src[pos] as string)) pos++;
  }
  return (data) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : goPrint(evaluate(p, data));
    return out;
  };
}

/** How Go's `fmt.Sprintf("%v", v)` prints a JSON value (nil is `<nil>`, unlike in a template). */
export function goSprint(v: unknown): string {
  return v === null || v === undefined ? '<nil>' : goPrint(v);
}
