import type { Priority } from '@falconer/contracts';
import { parsePriority } from '@falconer/falco';
import {
  httpOptions,
  type CreateContext,
  type HttpSenderOptions,
  type SettingValues,
  FALCOSIDEKICK_SUCCESS,
} from '@falconer/outputs-core';
import type { ALERTMANAGER_SETTINGS } from './alertmanager.descriptor';

export interface DropThreshold {
  count: bigint;
  priority: Priority;
}

export interface AlertmanagerConfig {
  /** One full URL per host (`hostport` + `endpoint`). */
  urls: string[];
  expiresAfterSeconds: number;
  extraLabels: Readonly<Record<string, string>>;
  extraAnnotations: Readonly<Record<string, string>>;
  severity: Readonly<Partial<Record<Priority, string>>>;
  dropDefaultPriority: Priority;
  /** Highest count first, as falcosidekick sorts them. */
  dropThresholds: readonly DropThreshold[];
  http: HttpSenderOptions;
}

/** Alertmanager refuses (400) any label or annotation name outside this. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function names(key: string, map: Readonly<Record<string, string>>, ctx: CreateContext): void {
  for (const name of Object.keys(map))
    if (!LABEL_NAME.test(name)) ctx.error(key, `"${name}" is not a valid name ([a-zA-Z_][a-zA-Z0-9_]*)`);
}

/** `10000:critical, 100:warning` → thresholds, highest first; bad entries reported against the key. */
export function parseDropThresholds(text: string, ctx: Pick<CreateContext, 'error'>): DropThreshold[] {
  const out: DropThreshold[] = [];
  for (const part of text.replace(/\s+/g, '').split(',')) {
    if (part === '') continue;
    const at = part.indexOf(':');
    const count = at > 0 ? part.slice(0, at) : '';
    const priority = parsePriority(at > 0 ? part.slice(at + 1) : '');
    if (!/^\d+$/.test(count) || priority === undefined) {
      ctx.error('dropeventthresholds', `expected count:priority, got "${part}"`);
      continue;
    }
    out.push({ count: BigInt(count), priority });
  }
  return out.sort((a, b) => (a.count === b.count ? 0 : a.count > b.count ? -1 : 1));
}

/** `alertmanager.*` as the output takes them. */
export function alertmanagerConfig(
  v: SettingValues<typeof ALERTMANAGER_SETTINGS>,
  ctx: CreateContext,
): AlertmanagerConfig {
  const urls: string[] = [];
  for (const host of v.hostport) {
    const url = `${host}${v.endpoint}`;
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      urls.push(url);
    } catch {
      ctx.error('hostport', `"${host}" is not an http(s) URL`);
    }
  }
  names('extralabels', v.extralabels, ctx);
  names('extraannotations', v.extraannotations, ctx);
  const severity: Partial<Record<Priority, string>> = {};
  for (const [name, value] of Object.entries(v.customseveritymap)) {
    const p = parsePriority(name);
    if (p === undefined) ctx.error('customseveritymap', `"${name}" is not a Falco priority`);
    else severity[p] = value;
  }
  return {
    urls,
    expiresAfterSeconds: v.expiresafter,
    extraLabels: v.extralabels,
    extraAnnotations: v.extraannotations,
    severity,
    dropDefaultPriority: parsePriority(v.dropeventdefaultpriority) ?? 'Critical',
    dropThresholds: parseDropThresholds(v.dropeventthresholds, ctx),
    http: httpOptions(v, ctx, { success: FALCOSIDEKICK_SUCCESS }),
  };
}
