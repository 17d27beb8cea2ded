import type { FalcoEvent } from '@falconer/contracts';
import {
  HTTP_BATCH,
  HttpSender,
  type BatchPolicy,
  type Output,
  type SendResult,
} from '@falconer/outputs-core';
import type { LokiConfig } from './loki.config';
import { formatLoki } from './loki.format';

/** Pushes a batch of events to Loki in one request (several streams when their labels differ). */
export class LokiOutput implements Output {
  readonly type = 'loki';
  readonly batch: BatchPolicy = HTTP_BATCH;
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    private readonly config: LokiConfig,
  ) {
    this.http = new HttpSender(config.http);
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    const r = await this.http.send(
      {
        method: 'POST',
        url: this.config.url,
        headers: this.config.headers,
        body: formatLoki(batch, this.config),
      },
      signal,
    );
    return r.ok ? { ok: true } : r;
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}
