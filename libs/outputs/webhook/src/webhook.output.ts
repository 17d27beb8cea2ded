import type { FalcoEvent } from '@falconer/contracts';
import { HttpSender, sendEach, type BatchPolicy, type Output, type SendResult } from '@falconer/outputs-core';
import type { WebhookConfig } from './webhook.config';
import { formatWebhook, SIGNATURE_HEADER, signWebhook } from './webhook.format';

/** POSTs (or PUTs) the event JSON, optionally signed, optionally as an array per batch. */
export class WebhookOutput implements Output {
  readonly batch?: BatchPolicy;
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: WebhookConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.http = new HttpSender(config.http);
    if (config.batch) this.batch = config.batch;
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    if (this.config.batch) return this.post(formatWebhook(batch, true), signal);
    return sendEach(batch, (e) => this.post(formatWebhook([e], false), signal));
  }

  private async post(body: string, signal: AbortSignal): Promise<SendResult> {
    const headers: Record<string, string> = {};
    if (this.config.signingSecret !== '') {
      headers[SIGNATURE_HEADER] = signWebhook(body, this.config.signingSecret, Math.floor(this.now() / 1000));
    }
    const r = await this.http.send(
      { method: this.config.method, url: this.config.address, headers, body },
      signal,
    );
    return r.ok ? { ok: true } : r;
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}
