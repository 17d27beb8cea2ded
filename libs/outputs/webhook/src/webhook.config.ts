import {
  httpOptions,
  SettingsReader,
  urlSecrets,
  type BatchPolicy,
  type HttpSenderOptions,
  type OutputContext,
  type OutputSpec,
} from '@falconer/outputs-core';

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

/** `webhook.*` (spec/outputs.md). */
export function readWebhookConfig(
  spec: OutputSpec,
  ctx: OutputContext,
): { config: WebhookConfig; errors: string[] } {
  const r = new SettingsReader(spec.settings, spec.path);
  const address = r.url('address', true);
  const signingSecret = r.string('signing.secret');
  const batched = r.bool('batch', false);
  const batchsize = r.int('batchsize', 100, 1, 100_000);
  const flushIntervalMs = r.duration('flushinterval', 1000);
  const config: WebhookConfig = {
    address,
    method: r.oneOf('method', ['POST', 'PUT'] as const, 'POST'),
    signingSecret,
    ...(batched ? { batch: { maxEvents: batchsize, flushIntervalMs } } : {}),
    http: httpOptions(r, ctx, [...urlSecrets(address), signingSecret], { success: WEBHOOK_SUCCESS }),
  };
  return { config, errors: r.errors };
}
