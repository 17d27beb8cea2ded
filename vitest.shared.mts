import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

/** Path aliases from tsconfig.base.json, so tests resolve `@falconer/*` exactly as the build does. */
function aliases(): Record<string, string> {
  const base = JSON.parse(readFileSync(resolve(import.meta.dirname, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  const out: Record<string, string> = {};
  for (const [name, [target]] of Object.entries(base.compilerOptions.paths)) {
    if (target !== undefined) out[name] = resolve(import.meta.dirname, target);
  }
  return out;
}

/** Settings every project shares: aliases and legacy (Nest-style) decorators. */
export const shared: UserConfig = {
  resolve: { alias: aliases() },
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: false } },
};
