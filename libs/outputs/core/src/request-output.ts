import type { FalcoEvent } from '@falconer/contracts';
import { HTTP_BATCH } from './batch';
import { FALCOSIDEKICK_SUCCESS } from './classify';
import { httpOptions } from './common';
import type { CreateContext, HttpSettingValues } from './descriptor';
import { sendEach } from './each';
import { HttpSender, type HttpRequest, type HttpSenderOptions } from './http';
import type { BatchPolicy, Output, SendResult } from './output';

/** What an HTTP output is made of when its whole job is "format, then one request". */
export interface RequestOutputSpec {
  type: string;
  http: HttpSenderOptions;
  /**
   * The request for some events: always one event unless `batch` is set, then the whole batch (the
   * destination takes several events per request).
   */
  request(events: readonly FalcoEvent[]): HttpRequest;
  batch?: BatchPolicy;
  /** One-off work before the first send (e.g. create an index), through the same sender. */
  init?: (http: HttpSender, signal: AbortSignal) => Promise<SendResult>;
}

/**
 * The `Output` of every HTTP output that formats events into one request: one per event through
 * `sendEach`, or one per batch when the output declares a batch policy. Status classification, secrets
 * and aborts are the shared HttpSender's.
 */
export class RequestOutput implements Output {
  readonly type: string;
  readonly batch?: BatchPolicy;
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    private readonly spec: RequestOutputSpec,
  ) {
    this.type = spec.type;
    this.http = new HttpSender(spec.http);
    if (spec.batch) this.batch = spec.batch;
    const init = spec.init;
    if (init) this.init = (signal) => init(this.http, signal);
  }

  readonly init?: (signal: AbortSignal) => Promise<SendResult>;

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    if (this.batch) return this.post(batch, signal);
    return sendEach(batch, (e) => this.post([e], signal));
  }

  private async post(events: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    const r = await this.http.send(this.spec.request(events), signal);
    return r.ok ? { ok: true } : r;
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}

/**
 * The output of an HTTP destination that takes the events queued together in one request (Splunk,
 * Sumo Logic, OpenObserve, ZincSearch, Datadog Logs, Dynatrace, Quickwit): falcosidekick's success
 * codes, the shared HTTP_BATCH policy, and any extra secrets (encoded credentials) scrubbed from errors.
 */
export function batchedRequests(
  values: HttpSettingValues,
  ctx: CreateContext,
  request: RequestOutputSpec['request'],
  extra: { secrets?: readonly (string | undefined)[]; init?: RequestOutputSpec['init'] } = {},
): RequestOutput {
  return new RequestOutput(ctx.name, {
    type: ctx.type,
    http: httpOptions(values, ctx, { success: FALCOSIDEKICK_SUCCESS, secrets: extra.secrets ?? [] }),
    batch: HTTP_BATCH,
    request,
    ...(extra.init ? { init: extra.init } : {}),
  });
}
