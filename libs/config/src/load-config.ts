import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { asBool, asInt, asString, asStringList, asStringMap, parseDuration } from '@falconer/util';
import { redisUrlProblems } from '@falconer/redis';
import type { DashboardUser, FalconerConfig } from './config.types';
import { Collector, configPath, isTree, lowerKeys, PRESERVE_CASE, setPath, type Tree } from './config-tree';
import { EMPTY_CATALOG, readOutputs, type OutputCatalog } from './output-sections';

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

  config.outputs = readOutputs(tree, catalog, OWN_TOP_LEVEL, c, warnings);
  if (c.errors.length > 0) throw new ConfigError(c.errors);
  const out: LoadedConfig = { config, warnings };
  if (file !== undefined) out.file = file;
  return out;
}
