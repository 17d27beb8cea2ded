import type { ClientTls } from './http';
import type { OutputNotice } from './output';

/** What every output factory gets from the process (not from its own section). */
export interface OutputContext {
  /** Falconer's version, for `User-Agent: Falconer/<version>`. */
  version?: string;
  /** Replaces the whole default User-Agent (an output's `customheaders` still win). */
  userAgent?: string;
  /** Global outbound TLS (`tlsclient.cacertfile`, `mutualtlsclient.*`). */
  tls?: ClientTls;
  /** Called when an output notices something worth logging and counting (never for each send). */
  notice?: (notice: OutputNotice) => void;
  /** Clock in ms (tests); default Date.now. */
  now?: () => number;
  /** Public base URL of the dashboard, for links in messages (Slack blocks). */
  dashboardUrl?: string;
}

/** One instance's raw configuration (structurally the same as libs/config `OutputInstanceConfig`). */
export interface OutputSpec {
  name: string;
  type: string;
  /** Keys lower-cased; values YAML-typed or environment strings. */
  settings: Record<string, unknown>;
  /** `slack` or `outputs[2]`, for error messages. */
  path: string;
}
