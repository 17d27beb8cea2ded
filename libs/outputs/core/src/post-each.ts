import type { FalcoEvent } from '@falconer/contracts';
import { httpOptions } from './common';
import type { CreateContext, HttpSettingValues } from './descriptor';
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

/**
 * The output most chat descriptors `create()`: each event formatted by `body` and POSTed to `url` with
 * the instance's HTTP settings (and `headers`, e.g. a content type or an API key, before customheaders).
 */
export function postEachTo(
  url: string,
  values: Pick<HttpSettingValues, 'checkcert' | 'mutualtls' | 'customheaders' | 'useragent'>,
  ctx: CreateContext,
  body: (event: FalcoEvent) => string,
  headers?: Record<string, string>,
): PostEachOutput {
  return new PostEachOutput(ctx.name, ctx.type, httpOptions(values, ctx), (event) => ({
    method: 'POST',
    url,
    body: body(event),
    ...(headers ? { headers } : {}),
  }));
}
