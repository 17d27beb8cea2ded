import { HTTP_BATCH, RequestOutput } from '@falconer/outputs-core';
import type { LokiConfig } from './loki.config';
import { formatLoki } from './loki.format';

/** Pushes a batch of events to Loki in one request (several streams when their labels differ). */
export function lokiOutputInstance(name: string, config: LokiConfig): RequestOutput {
  return new RequestOutput(name, {
    type: 'loki',
    http: config.http,
    batch: HTTP_BATCH,
    request: (events) => ({
      method: 'POST',
      url: config.url,
      headers: config.headers,
      body: formatLoki(events, config),
    }),
  });
}
