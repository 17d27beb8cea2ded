import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  asBool,
  asInt,
  asString,
  asStringList,
  asStringMap,
  parseDuration,
  redactTree,
} from '@falconer/util';
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
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  /** YAML text given directly (tests). */
  yaml?: string;
}

type Tree = Record<string, unknown>;

/** Names inside these maps keep their case (`nsOrNone` stays `nsOrNone`). */
const PRESERVE_CASE = new Set(['customfields', 'templatedfields', 'customheaders', 'fields', 'labels']);

/** falcosidekick sections Falconer implements, and the key that enables each. */
export const OUTPUT_SECTIONS: Readonly<Record<string, { key: string; type: string }>> = {
  slack: { key: 'webhookurl', type: 'slack' },
  elasticsearch: { key: 'hostport', type: 'elasticsearch' },
  influxdb: { key: 'hostport', type: 'influxdb' },
  webhook: { key: 'address', type: 'webhook' },
  webui: { key: 'url', type: 'webui' },
  talon: { key: 'address', type: 'webhook' },
};

/** Other falcosidekick outputs: accepted in a config file, warned about when enabled. */
const UNSUPPORTED_SECTIONS: Readonly<Record<string, string>> = {
  loki: 'hostport',
  alertmanager: 'hostport',
  teams: 'webhookurl',
  discord: 'webhookurl',
  mattermost: 'webhookurl',
  rocketchat: 'webhookurl',
  googlechat: 'webhookurl',
  cliq: 'webhookurl',
  nats: 'hostport',
  stan: 'hostport',
  mqtt: 'broker',
  kafka: 'hostport',
  smtp: 'hostport',
  pagerduty: 'routingkey',
  opsgenie: 'apikey',
  datadog: 'apikey',
  statsd: 'forwarder',
  dogstatsd: 'forwarder',
  prometheus: 'extralabels',
  aws: 'region',
  gcp: 'credentials',
  azure: 'eventhub',
  rabbitmq: 'url',
  wavefront: 'endpointhost',
  grafana: 'hostport',
  syslog: 'host',
  splunk: 'hostport',
  zincsearch: 'hostport',
  gotify: 'hostport',
  spyderbat: 'orguid',
  tekton: 'eventlistener',
  redis: '',
  openobserve: 'hostport',
  dynatrace: 'apiurl',
  otlp: '',
  quickwit: 'hostport',
  sumologic: 'receiverurl',
  policyreport: 'enabled',
  kubeless: 'function',
  openfaas: 'functionname',
  fission: 'function',
  yandex: 'accesskeyid',
  n8n: 'address',
  telegram: 'token',
  webex: 'webhookurl',
  nodered: 'address',
  falcosidekickui: 'url',
  timescaledb: 'host',
  cloudevents: 'address',
  kafkarest: 'address',
  googlechatv2: 'webhookurl',
  zoho: 'webhookurl',
  logstash: 'address',
  wavefrontproxy: 'endpointhost',
};

const TOP_LEVEL = new Set([
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
  ...Object.keys(OUTPUT_SECTIONS),
]);

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

/** Environment overlay: `SLACK_WEBHOOKURL` → slack.webhookurl; only known top-level sections. */
function applyEnv(tree: Tree, env: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const path = name.toLowerCase().split('_');
    const top = path[0] as string;
    if (!TOP_LEVEL.has(top) && !(top in UNSUPPORTED_SECTIONS)) continue;
    if (top === 'outputs' || top === 'drop') continue;
    let node = tree;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i] as string;
      if (PRESERVE_CASE.has(seg)) break;
      const next = node[seg];
      if (!isTree(next)) node[seg] = {};
      node = node[seg] as Tree;
    }
    // a map key such as CUSTOMFIELDS or WEBHOOK_CUSTOMHEADERS takes the whole `k:v,k:v` string
    const preserveAt = path.findIndex((p) => PRESERVE_CASE.has(p));
    const leaf = preserveAt >= 0 ? (path[preserveAt] as string) : (path[path.length - 1] as string);
    node[leaf] = value;
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

const SPECIAL_KEYS = new Set(['name', 'type', 'filter', 'delivery', 'aggregate', 'minimumpriority']);

function outputInstance(
  name: string,
  type: string,
  section: Tree,
  path: string,
  c: Collector,
): OutputInstanceConfig {
  const settings: Tree = {};
  for (const [k, v] of Object.entries(section)) if (!SPECIAL_KEYS.has(k)) settings[k] = v;
  const filter: Tree = isTree(section['filter']) ? { ...section['filter'] } : {};
  if (section['filter'] !== undefined && !isTree(section['filter']))
    c.errors.push(`${path}.filter: expected a map`);
  if (section['minimumpriority'] !== undefined && section['minimumpriority'] !== '')
    filter['minimumpriority'] = section['minimumpriority'];
  const delivery = isTree(section['delivery']) ? section['delivery'] : {};
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
  applyEnv(tree, env);

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
  if (redisUrl !== '' && !/^rediss?:\/\//.test(redisUrl))
    c.errors.push('redis.url: expected redis://host:port[/db]');
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
    redis: { url: redisUrl },
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
  for (const [section, { key, type }] of Object.entries(OUTPUT_SECTIONS)) {
    const s = tree[section];
    if (s === undefined || s === null) continue;
    if (!isTree(s)) {
      c.errors.push(`${section}: expected a map`);
      continue;
    }
    const enabler = s[key];
    if (enabler === undefined || enabler === null || enabler === '') continue;
    config.outputs.push(outputInstance(section, type, s, section, c));
    names.add(section);
  }
  for (const [section, key] of Object.entries(UNSUPPORTED_SECTIONS)) {
    const s = tree[section];
    if (isTree(s) && key !== '' && s[key] !== undefined && s[key] !== '' && s[key] !== false) {
      warnings.push(
        `${section}: this falcosidekick output is not supported by Falconer yet; the section is ignored`,
      );
    }
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

/** The effective configuration with every secret shown as `***` (logs, /api/v1/configuration, UI). */
export function redactConfig(config: FalconerConfig): unknown {
  return redactTree(config);
}
