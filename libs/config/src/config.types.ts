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
  /** `cluster`: `url` lists seed nodes of a Redis Cluster (keys hash-tagged, see @falconer/redis). */
  redis: { url: string; cluster: boolean };
  store: { maxevents: number; ttlMs: number };
  ui: { enabled: boolean; basepath: string };
  auth: {
    ingest: { tokens: string[]; hmacsecret: string };
    dashboard: { users: { username: string; passwordhash: string }[] };
  };
  limits: { bodybytes: number; maxoutputfields: number; maxstringbytes: number };
  /** Parse bodies on a worker thread under load (another core); false keeps all work on the main thread. */
  ingest: { parseworker: boolean };
  metrics: { podlabel: boolean };
  /** Shared secret that signs the remediator's reports (`POST /api/v1/remediations`); empty = unsigned accepted. */
  remediation: { secret: string };
  /** Global noise filter (routing language); events matching it are discarded before recording. */
  drop?: Record<string, unknown>;
  /** Enabled output instances, falcosidekick sections first. */
  outputs: OutputInstanceConfig[];
}
