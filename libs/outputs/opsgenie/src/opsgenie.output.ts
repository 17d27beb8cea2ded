import type { FalcoEvent } from '@falconer/contracts';
import {
  HttpSender,
  sendEach,
  type HttpSenderOptions,
  type Output,
  type SendResult,
} from '@falconer/outputs-core';
import { formatOpsgenie } from './opsgenie.format';

export interface OpsgenieConfig {
  url: string;
  apiKey: string;
  http: HttpSenderOptions;
}

/** Creates one Opsgenie alert per event. */
export class OpsgenieOutput implements Output {
  readonly type = 'opsgenie';
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    private readonly config: OpsgenieConfig,
  ) {
    this.http = new HttpSender(config.http);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      const r = await this.http.send(
        {
          method: 'POST',
          url: this.config.url,
          headers: { Authorization: `GenieKey ${this.config.apiKey}` },
          body: formatOpsgenie(event),
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
