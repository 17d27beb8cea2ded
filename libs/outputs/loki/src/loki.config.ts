import {
  basicAuthHeaders,
  httpOptions,
  type CreateContext,
  type HttpSenderOptions,
  type SettingValues,
  FALCOSIDEKICK_SUCCESS,
} from '@falconer/outputs-core';
import type { LOKI_SETTINGS } from './loki.descriptor';

export interface LokiConfig {
  url: string;
  format: 'text' | 'json';
  extraLabels: readonly string[];
  /** Tenant, auth: set on every request. */
  headers: Readonly<Record<string, string>>;
  http: HttpSenderOptions;
}

export function lokiConfig(v: SettingValues<typeof LOKI_SETTINGS>, ctx: CreateContext): LokiConfig {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (v.tenant !== '') headers['X-Scope-OrgID'] = v.tenant;
  const auth = basicAuthHeaders(v.user, v.apikey);
  Object.assign(headers, auth.headers);
  return {
    url: `${v.hostport.replace(/\/+$/, '')}${v.endpoint}`,
    format: v.format,
    extraLabels: v.extralabels,
    headers,
    http: httpOptions(v, ctx, { success: FALCOSIDEKICK_SUCCESS, secrets: [auth.secret] }),
  };
}
