import type { CreateContext, OutputDescriptor, SettingValues, SettingsSchema } from './descriptor';
import type { OutputContext, OutputSpec } from './factory';
import type { Output } from './output';
import { urlSecrets } from './redact';
import { readSettings } from './settings';

/** The values of an instance's secret settings, in every form that could leak (a URL's parts too). */
function secretValues(schema: SettingsSchema, values: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [key, s] of Object.entries(schema)) {
    if (!s.secret) continue;
    const v = values[key];
    if (typeof v === 'string' && v !== '') out.push(...(s.kind === 'url' ? urlSecrets(v) : [v]));
    else if (Array.isArray(v)) out.push(...v.filter((x): x is string => typeof x === 'string'));
    else if (v !== null && typeof v === 'object') out.push(...Object.values(v as Record<string, string>));
  }
  return out.filter((x) => x.length >= 4);
}

export interface Prepared<S extends SettingsSchema> {
  values: SettingValues<S>;
  ctx: CreateContext;
  /** Every problem, `path.key: message`; filled further by `create()` through `ctx.error`. */
  errors: string[];
  warnings: string[];
}

/** Reads and checks one instance's settings through its descriptor's schema; the step before `create()`. */
export function prepare<S extends SettingsSchema>(
  d: OutputDescriptor<S>,
  spec: OutputSpec,
  base: OutputContext = {},
): Prepared<S> {
  const read = readSettings(d.settings, spec.settings, spec.path);
  const errors = [...read.errors];
  const warnings = read.unknown.map((k) => `${spec.path}.${k}: unknown setting of ${d.type}, ignored`);
  const ctx: CreateContext = {
    ...base,
    name: spec.name,
    type: spec.type,
    path: spec.path,
    secrets: secretValues(d.settings, read.values),
    error: (key, message) => errors.push(`${spec.path}.${key}: ${message}`),
    warn: (message) => warnings.push(`${spec.path}: ${message}`),
  };
  return { values: read.values, ctx, errors, warnings };
}

/** Builds one output instance from its raw settings; `output` is unusable when `errors` is not empty. */
export function createOutput<S extends SettingsSchema>(
  d: OutputDescriptor<S>,
  spec: OutputSpec,
  base: OutputContext = {},
): { output: Output; errors: string[]; warnings: string[] } {
  const p = prepare(d, spec, base);
  const output = d.create(p.values, p.ctx);
  return { output, errors: p.errors, warnings: p.warnings };
}
