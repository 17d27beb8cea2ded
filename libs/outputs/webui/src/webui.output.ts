import type { FalcoEvent } from '@falconer/contracts';
import { HttpSender, sendEach, type Output, type SendResult } from '@falconer/outputs-core';
import type { WebUiConfig } from './webui.config';
import { formatWebUi } from './webui.format';

/** Forwards each event to a falcosidekick-ui (or another Falconer) at `<url>/api/v1/events/add`, one per request. */
export class WebUiOutput implements Output {
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: WebUiConfig,
  ) {
    this.http = new HttpSender(config.http);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (e) => this.post(e, signal));
  }

  private async post(event: FalcoEvent, signal: AbortSignal): Promise<SendResult> {
    const r = await this.http.send(
      { method: 'POST', url: this.config.endpoint, body: formatWebUi(event, this.config.outputs) },
      signal,
    );
    return r.ok ? { ok: true } : r;
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}
