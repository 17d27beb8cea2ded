import type { FalcoEvent } from '@falconer/contracts';
import { sendEach } from './each';
import { HttpSender, type HttpRequest, type HttpSenderOptions } from './http';
import type { Output, SendResult } from './output';

/**
 * An output whose destination takes one message per event over HTTP (the chat outputs): it formats
 * each event into a request and sends it through the shared sender. Formatting stays a pure function
 * of the output; status classification, abort and redaction are the sender's; retries the delivery layer's.
 */
export class PostEachOutput implements Output {
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    readonly type: string,
    options: HttpSenderOptions,
    private readonly request: (event: FalcoEvent) => HttpRequest,
  ) {
    this.http = new HttpSender(options);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      const r = await this.http.send(this.request(event), signal);
      return r.ok ? { ok: true } : r;
    });
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}
