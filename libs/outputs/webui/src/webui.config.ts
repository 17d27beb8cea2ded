import {
  httpOptions,
  type CreateContext,
  type HttpSenderOptions,
  type SettingValues,
} from '@falconer/outputs-core';
import type { WEBUI_SETTINGS } from './webui.descriptor';

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

/** `webui.*`: `url` (falcosidekick-ui or another Falconer) and `outputs`, as the output takes them. */
export function webUiConfig(v: SettingValues<typeof WEBUI_SETTINGS>, ctx: CreateContext): WebUiConfig {
  return {
    endpoint: v.url.replace(/\/+$/, '') + WEBUI_PATH,
    outputs: v.outputs,
    http: httpOptions(v, ctx, { secrets: [basicCredentials(v.url)] }),
  };
}
