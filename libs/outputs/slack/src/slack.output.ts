import type { FalcoEvent } from '@falconer/contracts';
import { HttpSender, sendEach, type Output, type SendResult } from '@falconer/outputs-core';
import type { SlackConfig } from './slack.config';
import { formatSlack } from './slack.format';

/** Posts one message per event to a Slack incoming webhook. 429 + Retry-After is classified, not waited on. */
export class SlackOutput implements Output {
  readonly type = 'slack';
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    private readonly config: SlackConfig,
  ) {
    this.http = new HttpSender(config.http);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      const r = await this.http.send(
        { method: 'POST', url: this.config.webhookurl, body: formatSlack(event, this.config) },
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
