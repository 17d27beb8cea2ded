import { REDACTED, redactUrl } from '@falconer/util';
import type { FalconerConfig } from './config.types';
import { isTree, type Tree } from './config-tree';
import { EMPTY_CATALOG, type OutputCatalog } from './output-sections';

/** Falconer's own secrets (outputs' secrets come from their schemas). */
const OWN_SECRETS: readonly ((c: FalconerConfig) => void)[] = [
  (c) => (c.auth.ingest.tokens = c.auth.ingest.tokens.map(() => REDACTED)),
  (c) => (c.auth.ingest.hmacsecret = hide(c.auth.ingest.hmacsecret)),
  (c) => c.auth.dashboard.users.forEach((u) => (u.passwordhash = hide(u.passwordhash))),
  (c) => (c.remediation.secret = hide(c.remediation.secret)),
  (c) => (c.redis.url = c.redis.url === '' ? '' : c.redis.url.split(',').map(redactUrl).join(',')),
];

function hide(v: string): string {
  return v === '' ? '' : REDACTED;
}

/**
 * The effective configuration with every secret shown as `***` (logs, /api/v1/configuration, UI):
 * Falconer's own secrets, each output's schema-declared secrets, and every `customheaders` value.
 */
export function redactConfig(config: FalconerConfig, catalog: OutputCatalog = EMPTY_CATALOG): unknown {
  const copy = structuredClone(config);
  for (const redact of OWN_SECRETS) redact(copy);
  for (const o of copy.outputs) {
    const secrets = catalog.secretKeys(o.type);
    o.settings = redactSettings(o.settings, secrets, '');
  }
  return copy;
}

function redactSettings(tree: Tree, secrets: ReadonlySet<string>, prefix: string): Tree {
  const out: Tree = {};
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix + k;
    if (k === 'customheaders' || secrets.has(key)) out[k] = redactValue(v);
    else if (isTree(v)) out[k] = redactSettings(v, secrets, key + '.');
    // credentials written into any URL (`https://user:pw@host`) are hidden too
    else if (typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(v)) out[k] = redactUrl(v);
    else out[k] = v;
  }
  return out;
}

function redactValue(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return v;
  if (isTree(v)) return Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
  if (typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return redactUrl(v);
  return REDACTED;
}
