import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { redisUrlProblems } from '@falconer/redis';
import { asBool, asInt, asString, asStringList, parseDuration } from '@falconer/util';

/** Kubernetes namespaces the remediator never acts in unless the operator replaces the list. */
export const DEFAULT_DENY_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease'] as const;

export interface RateLimit {
  /** Most mutating actions per window. */
  max: number;
  windowMs: number;
  /** As written (`10/min`), for messages. */
  text: string;
}

export interface KubeSettings {
  /** A kubeconfig file; empty = in-cluster config when running in a pod, else the default kubeconfig. */
  kubeconfig: string;
  /** True when the process runs inside a Kubernetes pod (service account mounted). */
  inCluster: boolean;
  /** Give up on one Kubernetes API call after this long. */
  timeoutMs: number;
}

export interface RemediatorConfig {
  listenAddress: string;
  port: number;
  /** Path of the rules YAML file. */
  rulesFile: string;
  /** Global dry-run: when on, no rule makes a mutating call. */
  dryRun: boolean;
  /** Shared secret of `X-Falconer-Signature`; empty = unsigned requests are accepted. */
  secret: string;
  /**
   * Bearer token for the read endpoints (`GET /api/v1/actions`, `/metrics`); the secret is accepted too.
   * With neither set they answer loopback clients only.
   */
  token: string;
  /** Falconer router base URL for decision reports; empty = decisions stay local. */
  routerUrl: string;
  /** Effective deny-list (configured or default) plus the remediator's own namespace. */
  denyNamespaces: string[];
  /** The namespace the remediator runs in ('' outside a cluster). */
  ownNamespace: string;
  cooldownMs: number;
  rateLimit: RateLimit;
  /**
   * Replicas share the cooldown and the rate limit through this Redis (`REMEDIATOR_REDIS_URL`; with
   * `cluster`, seed URLs of a Redis Cluster); empty = each process keeps its own.
   */
  redis: { url: string; cluster: boolean; prefix: string };
  /** Decisions kept in memory for `GET /api/v1/actions`. */
  auditSize: number;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** Longest a webhook caller waits for the decisions; after it, 202 and the work goes on. */
  replyTimeoutMs: number;
  logLevel: string;
  kube: KubeSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid remediator configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const WINDOWS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
};

/** `10/min`, `5/s`, `100/h`, `20/30s` or a bare number (per minute). */
export function parseRateLimit(value: unknown): RateLimit {
  const text = asString(value).trim();
  if (/^\d+$/.test(text)) return { max: asInt(text, 1), windowMs: 60_000, text: `${text}/min` };
  const m = /^(\d+)\s*\/\s*(.+)$/.exec(text);
  if (m === null) throw new Error(`expected a rate such as 10/min, 5/s or 100/h, got "${text}"`);
  const max = asInt(m[1], 1);
  const unit = (m[2] as string).trim().toLowerCase();
  const windowMs = WINDOWS[unit] ?? parseDuration(unit);
  if (windowMs <= 0) throw new Error(`rate window must be longer than zero, got "${text}"`);
  return { max, windowMs, text };
}

/** Keys of the optional YAML settings file (`REMEDIATOR_CONFIG`), same meaning as the environment variables. */
const FILE_KEYS: Record<string, string> = {
  listenaddress: 'REMEDIATOR_LISTENADDRESS',
  port: 'REMEDIATOR_PORT',
  rules: 'REMEDIATOR_RULES',
  dryrun: 'REMEDIATOR_DRYRUN',
  secret: 'REMEDIATOR_SECRET',
  token: 'REMEDIATOR_TOKEN',
  routerurl: 'REMEDIATOR_ROUTER_URL',
  denynamespaces: 'REMEDIATOR_DENY_NAMESPACES',
  namespace: 'REMEDIATOR_NAMESPACE',
  cooldown: 'REMEDIATOR_COOLDOWN',
  ratelimit: 'REMEDIATOR_RATELIMIT',
  redisurl: 'REMEDIATOR_REDIS_URL',
  rediscluster: 'REMEDIATOR_REDIS_CLUSTER',
  redisprefix: 'REMEDIATOR_REDIS_PREFIX',
  auditsize: 'REMEDIATOR_AUDIT_SIZE',
  bodylimit: 'REMEDIATOR_BODY_LIMIT',
  loglevel: 'REMEDIATOR_LOG_LEVEL',
  kubeconfig: 'KUBECONFIG',
  kubetimeout: 'REMEDIATOR_KUBE_TIMEOUT',
  replytimeout: 'REMEDIATOR_REPLY_TIMEOUT',
};

export interface LoadOptions {
  /** Reads the in-cluster namespace file; replaceable in tests. */
  readFile?: (path: string) => string;
}

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * Builds the configuration from the environment and the optional YAML file named by `REMEDIATOR_CONFIG`
 * (environment wins). Every problem is collected, then one ConfigError lists them all.
 */
export function loadRemediatorConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: LoadOptions = {},
): RemediatorConfig {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const configFile = env['REMEDIATOR_CONFIG'] ?? '';
  if (configFile !== '') {
    try {
      const doc: unknown = parseYaml(readFile(configFile));
      if (doc !== null && doc !== undefined) {
        if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error('expected a map of settings');
        for (const [key, v] of Object.entries(doc as Record<string, unknown>)) {
          const envName = FILE_KEYS[key.toLowerCase()];
          if (envName === undefined)
            problems.push(
              `${configFile}: unknown setting "${key}" (known: ${Object.keys(FILE_KEYS).join(', ')})`,
            );
          else values[envName] = v;
        }
      }
    } catch (err) {
      problems.push(`REMEDIATOR_CONFIG (${configFile}): ${(err as Error).message}`);
    }
  }
  for (const name of Object.values(FILE_KEYS)) {
    const v = env[name];
    if (v !== undefined) values[name] = v;
  }

  function read<T>(name: string, fallback: T, coerce: (v: unknown) => T): T {
    const v = values[name];
    if (v === undefined || v === '') return fallback;
    try {
      return coerce(v);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      return fallback;
    }
  }

  const port = read('REMEDIATOR_PORT', 2803, (v) => asInt(v, 0, 65535));
  const rulesFile = read('REMEDIATOR_RULES', '', asString);
  if (rulesFile === '') problems.push('REMEDIATOR_RULES: required (path of the response rules YAML file)');
  // A new install only reports until the operator turns dry-run off.
  const dryRun = read('REMEDIATOR_DRYRUN', true, asBool);
  const secret = read('REMEDIATOR_SECRET', '', asString);
  const token = read('REMEDIATOR_TOKEN', '', asString);
  const routerUrl = read('REMEDIATOR_ROUTER_URL', '', (v) => {
    const s = asString(v).trim().replace(/\/+$/, '');
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`expected an http(s) URL, got "${s}"`);
    return s;
  });
  const inCluster = (env['KUBERNETES_SERVICE_HOST'] ?? '') !== '';
  let ownNamespace = read('REMEDIATOR_NAMESPACE', '', asString);
  if (ownNamespace === '' && inCluster) {
    try {
      ownNamespace = readFile(SA_NAMESPACE_FILE).trim();
    } catch {
      problems.push(
        `REMEDIATOR_NAMESPACE: not set and ${SA_NAMESPACE_FILE} is unreadable; set it (downward API metadata.namespace)`,
      );
    }
  }
  const configuredDeny = read<string[] | undefined>('REMEDIATOR_DENY_NAMESPACES', undefined, asStringList);
  const denyNamespaces = [
    ...new Set([
      ...(configuredDeny ?? DEFAULT_DENY_NAMESPACES),
      ...(ownNamespace === '' ? [] : [ownNamespace]),
    ]),
  ];
  const cooldownMs = read('REMEDIATOR_COOLDOWN', 10 * 60_000, parseDuration);
  const rateLimit = read(
    'REMEDIATOR_RATELIMIT',
    { max: 10, windowMs: 60_000, text: '10/min' },
    parseRateLimit,
  );
  const redisUrl = read('REMEDIATOR_REDIS_URL', '', asString);
  const redisCluster = read('REMEDIATOR_REDIS_CLUSTER', false, asBool);
  // several remediator installations on one Redis each use their own prefix
  const redisPrefix = read('REMEDIATOR_REDIS_PREFIX', 'falconer:rem:', asString);
  problems.push(
    ...redisUrlProblems(redisUrl, redisCluster).map((p) =>
      p.replace('redis.url', 'REMEDIATOR_REDIS_URL').replace('redis.cluster', 'REMEDIATOR_REDIS_CLUSTER'),
    ),
  );
  const auditSize = read('REMEDIATOR_AUDIT_SIZE', 10_000, (v) => asInt(v, 1, 1_000_000));
  const bodyLimitBytes = read('REMEDIATOR_BODY_LIMIT', 1024 * 1024, (v) => asInt(v, 1024, 64 * 1024 * 1024));
  const logLevel = read('REMEDIATOR_LOG_LEVEL', 'info', (v) => {
    const s = asString(v).toLowerCase();
    if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(s)) {
      throw new Error(`expected fatal|error|warn|info|debug|trace|silent, got "${s}"`);
    }
    return s;
  });
  const listenAddress = read('REMEDIATOR_LISTENADDRESS', '0.0.0.0', asString);
  const kubeconfig = read('KUBECONFIG', '', (v) => asString(v).split(':')[0] ?? '');
  const timeoutMs = read('REMEDIATOR_KUBE_TIMEOUT', 10_000, parseDuration);
  // below the router's default delivery timeout (10s), so a slow API never causes a redelivery
  const replyTimeoutMs = read('REMEDIATOR_REPLY_TIMEOUT', 5_000, parseDuration);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    listenAddress,
    port,
    rulesFile,
    dryRun,
    secret,
    token,
    routerUrl,
    denyNamespaces,
    ownNamespace,
    cooldownMs,
    rateLimit,
    redis: { url: redisUrl, cluster: redisCluster, prefix: redisPrefix },
    auditSize,
    bodyLimitBytes,
    replyTimeoutMs,
    logLevel,
    kube: { kubeconfig, inCluster, timeoutMs },
  };
}
