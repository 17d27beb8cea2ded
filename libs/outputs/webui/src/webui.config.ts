import {
  httpOptions,
  SettingsReader,
  urlSecrets,
  type HttpSenderOptions,
  type OutputContext,
  type OutputSpec,
} from '@falconer/outputs-core';
import { asStringList } from '@falconer/util';

export interface WebUiConfig {
  /** `<url>/api/v1/events/add` */
  endpoint: string;
  /** The `outputs` list of the envelope (falcosidekick sends the names of its enabled outputs). */
  outputs: string[];
  http: HttpSenderOptions;
}

/** `user:password` of the URL: sent as Basic auth, so its base64 form must be scrubbed from details too. */
function basicCredentials(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password !== ''
      ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`
      : undefined;
  } catch {
    return undefined;
  }
}

export const WEBUI_PATH = '/api/v1/events/add';

/** `webui.*`: `url` (enables; falcosidekick-ui or another Falconer), `outputs`, `checkcert`, `mutualtls`, `customheaders`. */
export function readWebUiConfig(
  spec: OutputSpec,
  ctx: OutputContext,
): { config: WebUiConfig; errors: string[] } {
  const r = new SettingsReader(spec.settings, spec.path);
  const url = r.url('url', true);
  let outputs: string[] = [];
  const raw = r.raw('outputs');
  if (raw !== undefined && raw !== null && raw !== '') {
    try {
      outputs = asStringList(raw);
    } catch (err) {
      r.error('outputs', (err as Error).message);
    }
  }
  const config: WebUiConfig = {
    endpoint: url.replace(/\/+$/, '') + WEBUI_PATH,
    outputs,
    http: httpOptions(r, ctx, [...urlSecrets(url), basicCredentials(url)]),
  };
  return { config, errors: r.errors };
}
