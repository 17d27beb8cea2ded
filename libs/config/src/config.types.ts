/** Raw settings of one output instance, as read from a falcosidekick section or an `outputs:` entry. */
export interface OutputInstanceConfig {
  /** Instance name: the section name for falcosidekick-style sections (`slack`), else the entry's `name`. */
  name: string;
  type: string;
  /**
   * Every other key of the section, keys lower-cased (map values such as `customheaders` keep their
   * keys' case). Values are as written: YAML types, or strings from the environment — each output's
   * schema coerces them (libs/util coercers).
   */
  settings: Record<string, unknown>;
  /** Routing conditions (routing.md): the entry's `filter:` plus a section-level `minimumpriority`. */
  filter: Record<string, unknown>;
  /** `delivery:` overrides (retries, timeout, concurrency, breaker, queue size). */
  delivery: Record<string, unknown>;
  /** `aggregate:` when set. */
  aggregate?: Record<string, unknown>;
  /** Where it came from, for error messages: `slack` or `outputs[2]`. */
  path: string;
}

export interface TlsServerConfig {
  deploy: boolean;
  certfile: string;
  keyfile: string;
  mutualtls: boolean;
  cacertfile: string;
  notlsport: number;
  notlspaths: string[];
}

export type DashboardRole = 'viewer' | 'operator';

export interface DashboardUser {
  username: string;
  /** bcrypt (`$2a$`, `$2b$`, `$2y$`), as `htpasswd -B` and `npm run hash-password` print. */
  passwordhash: string;
  role: DashboardRole;
}

export interface FalconerConfig {
  listenaddress: string;
  listenport: number;
  debug: boolean;
  /** Names keep their case. */
  customfields: Record<string, string>;
  customtags: string[];
  templatedfields: Record<string, string>;
  bracketreplacer: string;
  tlsserver: TlsServerConfig;
  tlsclient: { cacertfile: string };
  mutualtlsclient: { certfile: string; keyfile: string; cacertfile: string };
  /** falcosidekick's folder of `client.crt`, `client.key`, `ca.crt`, used when `mutualtlsclient.*` is not set. */
  mutualtlsfilespath: string;
  /**
   * `cluster`: `url` lists seed nodes of a Redis Cluster (keys hash-tagged, see @falconer/redis).
   * `spool.maxevents`: events accepted while Redis is unreachable, held in the process until it is back
   * (0: none, ingest answers 503 at once; ADR 0013).
   */
  redis: { url: string; cluster: boolean; spool: { maxevents: number } };
  /** History bounds: count, age and (memory store) bytes, oldest evicted first. */
  store: { maxevents: number; ttlMs: number; maxbytes: number };
  /**
   * `open`: with no users configured, the dashboard, API and socket.io answer every client (else only
   * loopback ones). `allowedorigins`: origins besides the router's own that may open socket.io and send
   * state-changing requests.
   */
  ui: { enabled: boolean; basepath: string; open: boolean; allowedorigins: string[] };
  auth: {
    /** `allowbrowsers`: accept ingest POSTs that a browser sent from a web page (Origin + cross-site). */
    ingest: { tokens: string[]; hmacsecret: string; allowbrowsers: boolean };
    dashboard: { users: DashboardUser[]; sessionttlMs: number };
  };
  /** Socket.io bounds: connections, filtered subscriptions, bytes waiting per socket. */
  live: { maxconnections: number; maxsubscriptions: number; bufferbytes: number };
  limits: { bodybytes: number; batchbytes: number; maxoutputfields: number; maxstringbytes: number };
  /** Parse bodies on a worker thread under load (another core); false keeps all work on the main thread. */
  ingest: { parseworker: boolean };
  /**
   * `auth`: `users` (the dashboard's users and loopback rule), `token` (bearer `token` only) or `none`
   * (open). Label values from events are cut to `labelbytes`; each metric keeps at most `maxseries`.
   */
  metrics: {
    podlabel: boolean;
    auth: 'users' | 'token' | 'none';
    token: string;
    labelbytes: number;
    maxseries: number;
  };
  /** Shared secret that signs the remediator's reports (`POST /api/v1/remediations`); empty = unsigned accepted. */
  remediation: { secret: string };
  /** Global noise filter (routing language); events matching it are discarded before recording. */
  drop?: Record<string, unknown>;
  /** Enabled output instances, falcosidekick sections first. */
  outputs: OutputInstanceConfig[];
}
