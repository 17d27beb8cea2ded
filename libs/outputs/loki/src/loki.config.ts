import {
  basicAuth,
  httpOptions,
  type CreateContext,
  type HttpSenderOptions,
  type SettingValues,
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

/** Statuses falcosidekick's HTTP client counts as delivered (Loki answers 204). */
export const LOKI_SUCCESS: ReadonlySet<number> = new Set([200, 201, 202, 204]);

export function lokiConfig(v: SettingValues<typeof LOKI_SETTINGS>, ctx: CreateContext): LokiConfig {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (v.tenant !== '') headers['X-Scope-OrgID'] = v.tenant;
  // falcosidekick sends credentials only when both are set
  const auth = v.user !== '' && v.apikey !== '' ? basicAuth(v.user, v.apikey) : undefined;
  if (auth !== undefined) headers['Authorization'] = auth;
  return {
    url: `${v.hostport.replace(/\/+$/, '')}${v.endpoint}`,
    format: v.format,
    extraLabels: v.extralabels,
    headers,
    http: httpOptions(v, ctx, { success: LOKI_SUCCESS, secrets: [auth?.slice('Basic '.length)] }),
  };
}
