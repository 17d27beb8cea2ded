import {
  httpOptions,
  type BatchPolicy,
  type CreateContext,
  type HttpSenderOptions,
  type SettingValues,
} from '@falconer/outputs-core';
import type { WEBHOOK_SETTINGS } from './webhook.descriptor';

export interface WebhookConfig {
  address: string;
  method: 'POST' | 'PUT';
  /** `signing.secret`: adds `X-Falconer-Signature`; empty = unsigned. */
  signingSecret: string;
  /** `batch: true` sends a JSON array of events per request. */
  batch?: BatchPolicy;
  http: HttpSenderOptions;
}

/** Statuses falcosidekick's webhook counts as delivered. */
export const WEBHOOK_SUCCESS: ReadonlySet<number> = new Set([200, 201, 202, 204]);

/** `webhook.*` (spec/outputs.md) as the output takes them. */
export function webhookConfig(v: SettingValues<typeof WEBHOOK_SETTINGS>, ctx: CreateContext): WebhookConfig {
  return {
    address: v.address,
    method: v.method,
    signingSecret: v['signing.secret'],
    ...(v.batch ? { batch: { maxEvents: v.batchsize, flushIntervalMs: v.flushinterval } } : {}),
    http: httpOptions(v, ctx, { success: WEBHOOK_SUCCESS }),
  };
}
