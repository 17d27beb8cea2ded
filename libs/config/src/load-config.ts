import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  asBool,
  asInt,
  asString,
  asStringList,
  asStringMap,
  parseDuration,
  REDACTED,
  redactUrl,
} from '@falconer/util';
import { redisUrlProblems } from '@falconer/redis';
import type { DashboardUser, FalconerConfig, OutputInstanceConfig } from './config.types';

/** Start-up refusal listing every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: FalconerConfig;
  /** Non-fatal findings (unsupported falcosidekick outputs that are enabled, deprecated keys…). */
  warnings: string[];
  /** Where the file came from, if any. */
  file?: string;
}

export interface LoadOptions {
  /** The output types this build has (the registry's); default none. */
  catalog?: OutputCatalog;
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** YAML text given directly (tests). */
  yaml?: string;
}

type Tree = Record<string, unknown>;

/** Names inside these maps keep their case (`nsOrNone` stays `nsOrNone`). */
const PRESERVE_CASE = new Set(['customfields', 'templatedfields', 'customheaders', 'fields', 'labels']);

/** One output type as the loader sees it (built from its descriptor by libs/outputs/registry). */
export interface OutputSectionInfo {
  type: string;
  /** Top-level section of a falcosidekick-style file. */
  section: string;
  /** Instance name when enabled from the section. */
  instanceName: string;
  /** Schema keys whose non-empty value enables the section. */
  enabledBy: readonly string[];
  /**
   * Every schema key: where it is in the section (dotted, relative to it), its environment variable, and
   * whether it is a bool (an enabling bool enables only when true: `POLICYREPORT_ENABLED=false` does not).
   */
  keys: readonly { key: string; path: string; env: string; bool?: boolean }[];
  /** The type owns its section alone: unknown keys are passed on (and warned about by the registry). */
  ownsSection: boolean;
}

/** What the loader must know about outputs; the registry provides it, libs/config lists none itself. */
export interface OutputCatalog {
  sections: readonly OutputSectionInfo[];
  /** falcosidekick outputs Falconer does not have: accepted, and warned about when enabled. */
  unsupported: readonly { section: string; enabledBy: string; env: string }[];
  /** The secret schema keys of a type (redaction). */
  secretKeys(type: string): ReadonlySet<string>;
}

/** No outputs known (libs/config's own tests); the router passes the registry's catalog. */
export const EMPTY_CATALOG: OutputCatalog = { sections: [], unsupported: [], secretKeys: () => new Set() };

/** Falconer's own top-level keys (output sections come from the catalog). */
const OWN_TOP_LEVEL = new Set([
  'listenaddress',
  'listenport',
  'debug',
  'customfields',
  'customtags',
  'templatedfields',
  'bracketreplacer',
  'tlsserver',
  'tlsclient',
  'mutualtlsclient',
  'mutualtlsfilespath',
  // falcosidekick's format of the `output` line: accepted, Falconer forwards Falco's own line
  'outputfieldformat',
  'redis',
  'store',
  'ui',
  'auth',
  'limits',
  'ingest',
  'metrics',
  'remediation',
  'live',
  'drop',
  'outputs',
]);

function nonEmpty(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && v !== false;
}

/**
 * Whether an enabling key's value turns its output on: any non-empty value, except that a bool key
 * (`policyreport.enabled`) must be true — `false` from YAML or the environment leaves the output off. A value
 * that is not a bool at all enables, so that the output's own validation reports it.
 */
function enables(info: OutputSectionInfo, key: string, v: unknown): boolean {
  if (!nonEmpty(v)) return false;
  if (info.keys.find((x) => x.key === key)?.bool !== true) return true;
  try {
    return asBool(v);
  } catch {
    return true;
  }
}

function isTree(v: unknown): v is Tree {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function lowerKeys(value: unknown, preserve = false): unknown {
  if (Array.isArray(value)) return value.map((v) => lowerKeys(v));
  if (!isTree(value)) return value;
  const out: Tree = {};
  for (const [k, v] of Object.entries(value)) {
    const key = preserve ? k : k.toLowerCase();
    out[key] = preserve ? v : lowerKeys(v, PRESERVE_CASE.has(key));
  }
  return out;
}

function configPath(argv: readonly string[], env: LoadOptions['env']): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--config' || a === '-c') return argv[i + 1];
    if (a.startsWith('--config=')) return a.slice('--config='.length);
  }
  const fromEnv = env?.['FALCONER_CONFIG'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] as string;
    if (!isTree(node[seg])) node[seg] = {};
    node = node[seg] as Tree;
  }
  node[path[path.length - 1] as string] = value;
}

function getPath(tree: unknown, path: string): unknown {
  let cur = tree;
  for (const p of path.split('.')) {
    if (!isTree(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/**
 * Environment overlay. Output sections: each schema key's own variable (`SLACK_WEBHOOKURL`,
 * `AWS_S3_BUCKET`), from the catalog. Falconer's own sections: `STORE_MAXEVENTS` → store.maxevents,
 * a map key (`CUSTOMFIELDS`) taking the whole `k:v,k:v` string.
 */
function applyEnv(
  tree: Tree,
  env: Readonly<Record<string, string | undefined>>,
  catalog: OutputCatalog,
): void {
  const outputVars = new Map<string, string[]>();
  for (const s of catalog.sections)
    for (const k of s.keys) outputVars.set(k.env, [s.section, ...k.path.split('.')]);
  for (const u of catalog.unsupported) outputVars.set(u.env, [u.section, u.enabledBy]);
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const target = outputVars.get(name);
    if (target !== undefined) {
      setPath(tree, target, value);
      continue;
    }
    const path = name.toLowerCase().split('_');
    const top = path[0] as string;
    if (!OWN_TOP_LEVEL.has(top) || top === 'outputs' || top === 'drop') continue;
    // a map key such as CUSTOMFIELDS takes the whole `k:v,k:v` string
    const preserveAt = path.findIndex((p) => PRESERVE_CASE.has(p));
    setPath(tree, preserveAt >= 0 ? path.slice(0, preserveAt + 1) : path, value);
  }
}

class Collector {
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

/**
 * Sections read both by Falconer itself and by an output: `redis.url` is Falconer's history and queue
 * store, while `redis.address` & co. are falcosidekick's Redis output. The own keys are not passed to the
 * output; output keys without the key that enables the output are refused (the file says neither clearly).
 */
const SHARED_SECTIONS: Readonly<Record<string, { own: readonly string[]; hint: string }>> = {
  redis: {
    own: ['url', 'cluster', 'spool'],
    hint: "Falconer's own history and queues use redis.url (redis://[user:password@]host:port[/db]) only. Put the credentials and database in redis.url, or set redis.address to also write the alerts to a Redis list or hash",
  },
};

/** Keys of an output section read by routing (`filter`, `minimumpriority`) and delivery, not by the output. */
const SPECIAL_KEYS = new Set([
  'name',
  'type',
  'filter',
  'delivery',
  'aggregate',
  'minimumpriority',
  'maxconcurrentrequests',
]);

function oneOf<T extends string>(v: unknown, values: readonly T[]): T {
  const s = asString(v).toLowerCase();
  if (!(values as readonly string[]).includes(s)) throw new Error(`expected one of ${values.join(', ')}`);
  return s as T;
}

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * `auth.dashboard.users` (or `auth.users`): each with a username, a bcrypt `passwordhash` and a role
 * (`viewer` reads, `operator` also replays dead letters). Every problem is reported at start: a user list
 * that is silently ignored would leave the dashboard open.
 */
function dashboardUsers(auth: Tree, authDash: Tree, c: Collector): DashboardUser[] {
  const path = authDash['users'] !== undefined ? 'auth.dashboard.users' : 'auth.users';
  const raw = authDash['users'] ?? auth['users'];
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw)) {
    c.errors.push(`${path}: expected a list of {username, passwordhash, role}`);
    return [];
  }
  const out: DashboardUser[] = [];
  const seen = new Set<string>();
  raw.forEach((u, i) => {
    const at = `${path}[${i}]`;
    if (!isTree(u)) return c.errors.push(`${at}: expected {username, passwordhash, role}`);
    const username = typeof u['username'] === 'string' ? u['username'] : '';
    const passwordhash = typeof u['passwordhash'] === 'string' ? u['passwordhash'] : '';
    const role = typeof u['role'] === 'string' ? u['role'].toLowerCase() : 'viewer';
    if (username === '' || username.includes(':')) c.errors.push(`${at}.username: required, without ":"`);
    else if (seen.has(username)) c.errors.push(`${at}.username: "${username}" is listed twice`);
    if (!BCRYPT.test(passwordhash))
      c.errors.push(`${at}.passwordhash: expected a bcrypt hash ($2a$, $2b$ or $2y$; npm run hash-password)`);
    if (role !== 'viewer' && role !== 'operator') c.errors.push(`${at}.role: expected viewer or operator`);
    seen.add(username);
    out.push({ username, passwordhash, role: role === 'operator' ? 'operator' : 'viewer' });
  });
  return out;
}

function outputInstance(
  name: string,
  type: string,
  section: Tree,
  path: string,
  c: Collector,
  /** A falcosidekick section: `name`/`type` are its own settings (`gcp.cloudfunctions.name`). */
  fromSection = false,
): OutputInstanceConfig {
  const settings: Tree = {};
  for (const [k, v] of Object.entries(section))
    if (!SPECIAL_KEYS.has(k) || (fromSection && (k === 'name' || k === 'type'))) settings[k] = v;
  const filter: Tree = isTree(section['filter']) ? { ...section['filter'] } : {};
  if (section['filter'] !== undefined && !isTree(section['filter']))
    c.errors.push(`${path}.filter: expected a map`);
  if (section['minimumpriority'] !== undefined && section['minimumpriority'] !== '')
    filter['minimumpriority'] = section['minimumpriority'];
  const delivery: Tree = isTree(section['delivery']) ? { ...section['delivery'] } : {};
  // falcosidekick's per-output `maxconcurrentrequests` is the delivery layer's concurrency (it bounds it)
  const mcr = section['maxconcurrentrequests'];
  if (mcr !== undefined && mcr !== null && mcr !== '' && delivery['concurrency'] === undefined)
    delivery['maxconcurrentrequests'] = mcr;
  const out: OutputInstanceConfig = { name, type, settings, filter, delivery, path };
  if (isTree(section['aggregate'])) out.aggregate = section['aggregate'];
  return out;
}

/** Reads the YAML file (if any) and the environment, validates everything, and reports all problems at once. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? {};
  const c = new Collector();
  const warnings: string[] = [];
  let tree: Tree = {};
  const file = configPath(options.argv ?? [], env);
  let text = options.yaml;
  if (text === undefined && file !== undefined) {
    if (!existsSync(file)) throw new ConfigError([`config file ${file} does not exist`]);
    text = readFileSync(file, 'utf8');
  }
  if (text !== undefined && text.trim() !== '') {
    try {
      const parsed: unknown = parseYaml(text);
      if (parsed !== null && parsed !== undefined && !isTree(parsed))
        throw new Error('the top level must be a map');
      tree = (lowerKeys(parsed ?? {}) as Tree) ?? {};
    } catch (err) {
      throw new ConfigError([`${file ?? 'config'}: not valid YAML: ${(err as Error).message}`]);
    }
  }
  const catalog = options.catalog ?? EMPTY_CATALOG;
  applyEnv(tree, env, catalog);

  const tlsserver = c.section(tree, 'tlsserver');
  const tlsclient = c.section(tree, 'tlsclient');
  const mtlsclient = c.section(tree, 'mutualtlsclient');
  const redis = c.section(tree, 'redis');
  const store = c.section(tree, 'store');
  const ui = c.section(tree, 'ui');
  const auth = c.section(tree, 'auth');
  const limits = c.section(tree, 'limits');
  const ingest = c.section(tree, 'ingest');
  const metrics = c.section(tree, 'metrics');
  const remediation = c.section(tree, 'remediation');
  const live = c.section(tree, 'live');
  const authIngest = isTree(auth['ingest']) ? auth['ingest'] : {};
  const authDash = isTree(auth['dashboard']) ? auth['dashboard'] : {};

  const redisUrl = c.get(redis, 'redis.', 'url', '', asString);
  const redisCluster = c.get(redis, 'redis.', 'cluster', false, asBool);
  const spool = c.section(redis, 'spool');
  const spoolMax = c.get(spool, 'redis.spool.', 'maxevents', 100_000, (v) => asInt(v, 0));
  if (/^[^:/]+:\d+$/.test(redisUrl))
    c.errors.push(
      "redis.url: expected redis://host:port[/db] (Falconer's store); a bare host:port is redis.address, falcosidekick's Redis output",
    );
  else c.errors.push(...redisUrlProblems(redisUrl, redisCluster));
  let basepath = c.get(ui, 'ui.', 'basepath', '/ui', asString);
  if (!basepath.startsWith('/')) basepath = '/' + basepath;
  basepath = basepath.replace(/\/+$/, '') || '/ui';

  const users = dashboardUsers(auth, authDash, c);
  const bodybytes = c.get(limits, 'limits.', 'bodybytes', 1024 * 1024, (v) => asInt(v, 1024));
  const config: FalconerConfig = {
    listenaddress: c.get(tree, '', 'listenaddress', '', asString),
    listenport: c.get(tree, '', 'listenport', 2801, (v) => asInt(v, 0, 65535)),
    debug: c.get(tree, '', 'debug', false, asBool),
    customfields: c.get(tree, '', 'customfields', {}, asStringMap),
    customtags: c.get(tree, '', 'customtags', [], asStringList),
    templatedfields: c.get(tree, '', 'templatedfields', {}, asStringMap),
    bracketreplacer: c.get(tree, '', 'bracketreplacer', '', asString),
    tlsserver: {
      deploy: c.get(tlsserver, 'tlsserver.', 'deploy', false, asBool),
      certfile: c.get(tlsserver, 'tlsserver.', 'certfile', '', asString),
      keyfile: c.get(tlsserver, 'tlsserver.', 'keyfile', '', asString),
      mutualtls: c.get(tlsserver, 'tlsserver.', 'mutualtls', false, asBool),
      cacertfile: c.get(tlsserver, 'tlsserver.', 'cacertfile', '', asString),
      notlsport: c.get(tlsserver, 'tlsserver.', 'notlsport', 2810, (v) => asInt(v, 0, 65535)),
      notlspaths: c.get(tlsserver, 'tlsserver.', 'notlspaths', ['/healthz'], asStringList),
    },
    tlsclient: { cacertfile: c.get(tlsclient, 'tlsclient.', 'cacertfile', '', asString) },
    mutualtlsclient: {
      certfile: c.get(mtlsclient, 'mutualtlsclient.', 'certfile', '', asString),
      keyfile: c.get(mtlsclient, 'mutualtlsclient.', 'keyfile', '', asString),
      cacertfile: c.get(mtlsclient, 'mutualtlsclient.', 'cacertfile', '', asString),
    },
    mutualtlsfilespath: c.get(tree, '', 'mutualtlsfilespath', '/etc/certs', asString),
    redis: { url: redisUrl, cluster: redisCluster, spool: { maxevents: spoolMax } },
    store: {
      maxevents: c.get(store, 'store.', 'maxevents', 100_000, (v) => asInt(v, 1)),
      ttlMs: c.get(store, 'store.', 'ttl', 168 * 3_600_000, parseDuration),
      maxbytes: c.get(store, 'store.', 'maxbytes', 256 * 1024 * 1024, (v) => asInt(v, 1024 * 1024)),
    },
    ui: {
      enabled: c.get(ui, 'ui.', 'enabled', true, asBool),
      basepath,
      open: c.get(ui, 'ui.', 'open', false, asBool),
      allowedorigins: c.get(ui, 'ui.', 'allowedorigins', [], asStringList).map((o) => o.replace(/\/+$/, '')),
    },
    auth: {
      ingest: {
        tokens: c.get(authIngest, 'auth.ingest.', 'tokens', [], asStringList),
        hmacsecret: c.get(authIngest, 'auth.ingest.', 'hmacsecret', '', asString),
        allowbrowsers: c.get(authIngest, 'auth.ingest.', 'allowbrowsers', false, asBool),
      },
      dashboard: {
        users,
        sessionttlMs: c.get(authDash, 'auth.dashboard.', 'sessionttl', 12 * 3_600_000, parseDuration),
      },
    },
    live: {
      maxconnections: c.get(live, 'live.', 'maxconnections', 200, (v) => asInt(v, 1)),
      maxsubscriptions: c.get(live, 'live.', 'maxsubscriptions', 200, (v) => asInt(v, 1)),
      bufferbytes: c.get(live, 'live.', 'bufferbytes', 256 * 1024, (v) => asInt(v, 16 * 1024)),
    },
    limits: {
      bodybytes,
      // a batch may carry several events of up to bodybytes each, not 64 MiB
      batchbytes: c.get(limits, 'limits.', 'batchbytes', bodybytes * 8, (v) => asInt(v, 1024)),
      maxoutputfields: c.get(limits, 'limits.', 'maxoutputfields', 1000, (v) => asInt(v, 1)),
      maxstringbytes: c.get(limits, 'limits.', 'maxstringbytes', 256 * 1024, (v) => asInt(v, 64)),
    },
    ingest: { parseworker: c.get(ingest, 'ingest.', 'parseworker', true, asBool) },
    metrics: {
      podlabel: c.get(metrics, 'metrics.', 'podlabel', true, asBool),
      auth: c.get(metrics, 'metrics.', 'auth', 'users', (v) => oneOf(v, ['users', 'token', 'none'] as const)),
      token: c.get(metrics, 'metrics.', 'token', '', asString),
      labelbytes: c.get(metrics, 'metrics.', 'labelbytes', 128, (v) => asInt(v, 16)),
      maxseries: c.get(metrics, 'metrics.', 'maxseries', 1000, (v) => asInt(v, 10)),
    },
    remediation: { secret: c.get(remediation, 'remediation.', 'secret', '', asString) },
    outputs: [],
  };
  if (config.metrics.auth === 'token' && config.metrics.token === '')
    c.errors.push('metrics.auth: "token" needs metrics.token');
  if (config.tlsserver.deploy && (config.tlsserver.certfile === '' || config.tlsserver.keyfile === '')) {
    c.errors.push('tlsserver: deploy needs certfile and keyfile');
  }
  if (isTree(tree['drop'])) config.drop = tree['drop'];
  else if (tree['drop'] !== undefined && tree['drop'] !== null) c.errors.push('drop: expected a filter map');

  const names = new Set<string>();
  const known = new Set([...OWN_TOP_LEVEL, ...catalog.sections.map((x) => x.section)]);
  for (const info of catalog.sections) {
    const s = tree[info.section];
    if (s === undefined || s === null) continue;
    if (!isTree(s)) {
      if (!c.errors.includes(`${info.section}: expected a map`))
        c.errors.push(`${info.section}: expected a map`);
      continue;
    }
    const pathOf = (key: string): string => info.keys.find((x) => x.key === key)?.path ?? key;
    const shared = SHARED_SECTIONS[info.section];
    if (!info.enabledBy.some((k) => enables(info, k, getPath(s, pathOf(k))))) {
      const stray = shared
        ? info.keys.filter((k) => !shared.own.includes(k.path) && nonEmpty(getPath(s, k.path)))
        : [];
      if (shared && stray.length > 0) {
        const keys = stray.map((k) => `${info.section}.${k.path}`).join(', ');
        const enabler = info.enabledBy.map((k) => `${info.section}.${pathOf(k)}`).join(' or ');
        c.errors.push(
          `${info.section}: ${keys} configure the ${info.type} output, which ${enabler} enables; ${shared.hint}`,
        );
      }
      continue;
    }
    let settings: Tree;
    if (info.ownsSection) {
      settings = { ...s };
      for (const k of shared?.own ?? []) delete settings[k];
    } else {
      settings = {};
      for (const k of info.keys) {
        const v = getPath(s, k.path);
        if (v !== undefined) settings[k.key] = v;
      }
    }
    config.outputs.push(outputInstance(info.instanceName, info.type, settings, info.section, c, true));
    names.add(info.instanceName);
  }
  for (const u of catalog.unsupported) {
    const s = tree[u.section];
    if (isTree(s) && nonEmpty(getPath(s, u.enabledBy))) {
      warnings.push(
        `${u.section}: this falcosidekick output is not supported by Falconer yet; the section is ignored`,
      );
    }
  }
  for (const key of Object.keys(tree)) {
    if (!known.has(key) && !catalog.unsupported.some((u) => u.section === key))
      warnings.push(`${key}: unknown top-level key, ignored`);
  }
  const list = tree['outputs'];
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) c.errors.push('outputs: expected a list of output instances');
    else {
      list.forEach((entry, i) => {
        const path = `outputs[${i}]`;
        if (!isTree(entry)) {
          c.errors.push(`${path}: expected a map with name and type`);
          return;
        }
        const name = typeof entry['name'] === 'string' ? entry['name'] : '';
        const type = typeof entry['type'] === 'string' ? entry['type'].toLowerCase() : '';
        if (name === '') c.errors.push(`${path}.name: required`);
        if (type === '') c.errors.push(`${path}.type: required`);
        if (name === '' || type === '') return;
        if (names.has(name)) {
          c.errors.push(`${path}.name: "${name}" is used twice`);
          return;
        }
        names.add(name);
        config.outputs.push(outputInstance(name, type, entry, path, c));
      });
    }
  }
  if (c.errors.length > 0) throw new ConfigError(c.errors);
  const out: LoadedConfig = { config, warnings };
  if (file !== undefined) out.file = file;
  return out;
}

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
