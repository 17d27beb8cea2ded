import type { OutputContext } from './factory';
import type { Output } from './output';

/** How a setting's raw value (YAML-typed, or an environment string) is coerced. */
export type SettingKind = 'string' | 'url' | 'bool' | 'int' | 'duration' | 'map' | 'list' | 'enum';

/** One key of an output's settings: its type, default, whether it is a secret, its docs and env name. */
export interface Setting<T = unknown> {
  readonly kind: SettingKind;
  /** One line for the docs table. */
  readonly description: string;
  readonly default: T;
  /** Never shown: redacted in /api/v1/configuration and logs, scrubbed from error texts. */
  readonly secret: boolean;
  /** Reported at start when empty. */
  readonly required: boolean;
  /** The environment variable, when it is not `<SECTION>_<KEY>` with dots as underscores. */
  readonly env?: string;
  /** `int`: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** `enum`: the accepted values (compared case-insensitively). */
  readonly values?: readonly string[];
  /** Not in falcosidekick: a Falconer addition (documented as such). */
  readonly extension: boolean;
  /** With a descriptor `subsection`: read from the section itself, shared with the sibling outputs. */
  readonly shared: boolean;
  /** Phantom: the coerced type. */
  readonly __type?: T;
}

export type SettingsSchema = Readonly<Record<string, Setting>>;

/** The coerced values of a schema, typed key by key. */
export type SettingValues<S extends SettingsSchema> = {
  -readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

interface Opts {
  shared?: boolean;
  secret?: boolean;
  required?: boolean;
  env?: string;
  extension?: boolean;
}

function make<T>(
  kind: SettingKind,
  description: string,
  dflt: T,
  o: Opts & Partial<Setting<T>> = {},
): Setting<T> {
  return {
    kind,
    description,
    default: dflt,
    secret: o.secret ?? false,
    required: o.required ?? false,
    extension: o.extension ?? false,
    shared: o.shared ?? false,
    ...(o.env !== undefined ? { env: o.env } : {}),
    ...(o.min !== undefined ? { min: o.min } : {}),
    ...(o.max !== undefined ? { max: o.max } : {}),
    ...(o.values !== undefined ? { values: o.values } : {}),
  };
}

/** Builders for settings schemas: `setting.url('Slack incoming webhook URL', { required: true, secret: true })`. */
export const setting = {
  string: (description: string, dflt = '', o?: Opts): Setting<string> => make('string', description, dflt, o),
  /** An absolute http(s) URL. */
  url: (description: string, o?: Opts): Setting<string> => make('url', description, '', o),
  bool: (description: string, dflt: boolean, o?: Opts): Setting<boolean> =>
    make('bool', description, dflt, o),
  int: (description: string, dflt: number, o?: Opts & { min?: number; max?: number }): Setting<number> =>
    make('int', description, dflt, o),
  /** Milliseconds; written as Go durations (`5s`, `1m30s`) or bare seconds. */
  duration: (description: string, dfltMs: number, o?: Opts): Setting<number> =>
    make('duration', description, dfltMs, o),
  /** `k:v,k:v` or a YAML map; keys keep their case. */
  map: (description: string, o?: Opts): Setting<Record<string, string>> => make('map', description, {}, o),
  /** `a,b` or a YAML list. */
  list: (description: string, dflt: readonly string[] = [], o?: Opts): Setting<string[]> =>
    make('list', description, [...dflt], o),
  enum: <T extends string>(description: string, values: readonly T[], dflt: T, o?: Opts): Setting<T> =>
    make('enum', description, dflt, { ...o, values }),
};

/** What `create()` gets besides its typed settings. */
export interface CreateContext extends OutputContext {
  /** Instance name (`slack`, or an `outputs:` entry's name). */
  readonly name: string;
  readonly type: string;
  /** Where the settings came from, for messages: `slack` or `outputs[2]`. */
  readonly path: string;
  /** The values of this instance's secret settings (a URL's path, query and credentials too): scrub them. */
  readonly secrets: readonly string[];
  /** Reports a problem with one key (cross-field checks, files that cannot be read); start is refused. */
  error(key: string, message: string): void;
  /** Says something worth logging once at start (a deprecation, an unmaintained destination). */
  warn(message: string): void;
}

/**
 * Everything Falconer knows about one output type. Config loading, the env-name mapping, validation,
 * redaction, the docs and the README table all read descriptors; nothing else lists outputs.
 */
export interface OutputDescriptor<S extends SettingsSchema = SettingsSchema> {
  /** `type:` of an `outputs:` entry, e.g. `slack`. */
  readonly type: string;
  /** Human name, e.g. `Microsoft Teams`. */
  readonly title: string;
  /** falcosidekick's config section (`slack`, `aws`); absent for a Falconer-only type. */
  readonly section?: string;
  /**
   * Where several outputs share one section (`aws.s3.*`, `aws.sqs.*`): this output's sub-section. Its keys
   * are read from `<section>.<subsection>.<key>` (env `AWS_S3_BUCKET`), except those marked `shared`,
   * read from the section itself (`aws.region`, env `AWS_REGION`).
   */
  readonly subsection?: string;
  /** Instance name when enabled from the section; default the subsection, else the section. */
  readonly instanceName?: string;
  /** Keys (schema keys) that enable it: a non-empty value of any of them does. */
  readonly enabledBy: readonly string[];
  readonly settings: S;
  /** falcosidekick's source the wire format is derived from (docs, tests), e.g. `outputs/slack.go`. */
  readonly falcosidekick?: string;
  /** One paragraph for docs/outputs/<type>.md. */
  readonly summary: string;
  /** A YAML example for the docs (falcosidekick-style section). */
  readonly example: string;
  /** Builds the output from validated settings; never throws for a bad setting (use ctx.error). */
  create(values: SettingValues<S>, ctx: CreateContext): Output;
}

/** Keeps the schema's key types while checking the descriptor's shape. */
export function defineOutput<S extends SettingsSchema>(d: OutputDescriptor<S>): OutputDescriptor<S> {
  return d;
}

/** Where a schema key lives in a falcosidekick-style file, relative to the top: `aws.s3.bucket`. */
export function sectionPath(d: OutputDescriptor, key: string): string {
  const s = d.settings[key];
  const sub = d.subsection !== undefined && s !== undefined && !s.shared ? `${d.subsection}.` : '';
  return `${d.section ?? d.type}.${sub}${key}`;
}

/** falcosidekick's environment variable for a schema key: `SLACK_WEBHOOKURL`, `AWS_S3_BUCKET`, `AWS_REGION`. */
export function envName(d: OutputDescriptor, key: string): string {
  return d.settings[key]?.env ?? sectionPath(d, key).replace(/\./g, '_').toUpperCase();
}

const PRIORITIES = [
  '',
  'emergency',
  'alert',
  'critical',
  'error',
  'warning',
  'notice',
  'informational',
  'debug',
] as const;

/**
 * Settings every output has. They are documented and mapped from the environment like the others, but
 * read elsewhere: `minimumpriority` by routing (it becomes part of the filter), `maxconcurrentrequests`
 * by the delivery layer (its concurrency, bounds and default) — so `create()` never sees them.
 */
export const COMMON_SETTINGS = {
  minimumpriority: setting.enum('Lowest priority sent to this output (empty = all)', PRIORITIES, ''),
  maxconcurrentrequests: setting.int('Sends in flight at once (the delivery concurrency; default 4)', 0),
};

/** Keys of COMMON_SETTINGS: read by routing and delivery, not by the output. */
export const ROUTED_KEYS: ReadonlySet<string> = new Set(Object.keys(COMMON_SETTINGS));

/** Settings every HTTP output shares with falcosidekick. */
export const HTTP_SETTINGS = {
  ...COMMON_SETTINGS,
  checkcert: setting.bool('Verify the destination TLS certificate', true),
  mutualtls: setting.bool('Present the global client certificate (`mutualtlsclient.*`)', false),
  customheaders: setting.map('Extra HTTP headers, `Name:value,Name:value`; values are treated as secrets', {
    secret: true,
  }),
  useragent: setting.string('User-Agent header (default `Falconer/<version>`)', '', { extension: true }),
};

export type HttpSettingValues = SettingValues<typeof HTTP_SETTINGS>;
