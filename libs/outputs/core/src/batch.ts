import type { BatchPolicy } from './output';

/**
 * The batch policy of outputs whose destination takes several events per request (Loki, Datadog Logs,
 * Splunk, …): no wait — what is queued when a send starts goes together, so batches form under load
 * and a lone event leaves at once. `delivery.batch.maxevents` / `delivery.batch.flushinterval` tune it
 * per instance.
 */
export const HTTP_BATCH: Readonly<BatchPolicy> = Object.freeze({
  maxEvents: 100,
  maxBytes: 1_000_000,
  flushIntervalMs: 0,
});

/** `Authorization: Basic …` for a user and password, as Go's `req.SetBasicAuth` writes it. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * falcosidekick's `if user != "" && password != "" { req.SetBasicAuth(…) }`: the header, or none. Its
 * encoded credentials go in `secret` so that they are scrubbed like the password.
 */
export function basicAuthHeaders(
  user: string,
  password: string,
): { headers: Record<string, string>; secret?: string } {
  if (user === '' || password === '') return { headers: {} };
  const value = basicAuth(user, password);
  return { headers: { Authorization: value }, secret: value.slice('Basic '.length) };
}
