import type { FalcoEvent } from '@falconer/contracts';
import {
  HttpSender,
  sendEach,
  type HttpSenderOptions,
  type Output,
  type SendResult,
} from '@falconer/outputs-core';
import { formatPagerduty } from './pagerduty.format';

export interface PagerdutyConfig {
  url: string;
  routingKey: string;
  http: HttpSenderOptions;
}

/** Triggers one PagerDuty alert per event. */
export class PagerdutyOutput implements Output {
  readonly type = 'pagerduty';
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    private readonly config: PagerdutyConfig,
  ) {
    this.http = new HttpSender(config.http);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      const r = await this.http.send(
        {
          method: 'POST',
          url: this.config.url,
          headers: { 'Content-Type': 'application/json' },
          body: formatPagerduty(event, this.config.routingKey),
        },
        signal,
      );
      return r.ok ? { ok: true } : r;
    });
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}
