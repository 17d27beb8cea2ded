import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { FalcoEvent } from '@falconer/contracts';
import {
  HttpSender,
  objectKey,
  resultForError,
  uploadClock,
  sendEach,
  type HttpSenderOptions,
  type Output,
  type SendResult,
} from '@falconer/outputs-core';
import { callFunctionBody, eventJson } from './gcp.format';

/** `gcp.pubsub`: publishes the event JSON with the configured custom attributes. */
export class PubSubOutput implements Output {
  private made?: Promise<{ client: PubSub; topic: Topic }>;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly cfg: {
      projectid: string;
      topic: string;
      customattributes: Record<string, string>;
      endpoint: string;
      credentials?: Record<string, unknown>;
    },
    private readonly secrets: readonly string[],
  ) {}

  /** One client for the output's lifetime, loaded and made on first use (a router without it never pays). */
  private topic(): Promise<{ client: PubSub; topic: Topic }> {
    this.made ??= import('@google-cloud/pubsub').then(({ PubSub }) => {
      const cfg = this.cfg;
      const client = new PubSub({
        projectId: cfg.projectid,
        ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
        ...(cfg.endpoint !== ''
          ? { apiEndpoint: cfg.endpoint, emulatorMode: true, universeDomain: 'googleapis.com' }
          : {}),
      });
      // the client groups what is published within a few milliseconds; the delivery layer retries failures
      const topic = client.topic(cfg.topic, { batching: { maxMessages: 100, maxMilliseconds: 5 } });
      return { client, topic };
    });
    return this.made;
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      if (signal.aborted) return { ok: false, retryable: true, reason: 'timeout', detail: 'aborted' };
      try {
        const { topic } = await this.topic();
        await topic.publishMessage({
          data: Buffer.from(eventJson(event)),
          attributes: this.cfg.customattributes,
        });
        return { ok: true };
      } catch (err) {
        return resultForError(err, this.secrets);
      }
    });
  }

  async close(): Promise<void> {
    if (this.made === undefined) return;
    const { client, topic } = await this.made;
    await topic.flush().catch(() => undefined);
    await client.close();
  }
}

type Token = () => Promise<string | undefined>;

/** The HTTP outputs of GCP: a bearer token per request (refreshed by the token source). */
abstract class GoogleHttpOutput implements Output {
  protected readonly http: HttpSender;

  constructor(
    readonly name: string,
    readonly type: string,
    options: HttpSenderOptions,
    private readonly token: Token,
    private readonly secrets: readonly string[],
  ) {
    this.http = new HttpSender(options);
  }

  protected async post(
    url: string,
    body: string,
    extra: Record<string, string> = {},
    signal: AbortSignal,
  ): Promise<SendResult> {
    let token: string | undefined;
    try {
      token = await this.token();
    } catch (err) {
      return { ...resultForError(err, this.secrets), reason: 'auth_error', retryable: true };
    }
    const headers: Record<string, string> = { ...extra };
    if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
    const r = await this.http.send({ method: 'POST', url, headers, body }, signal);
    return r.ok ? { ok: true } : r;
  }

  abstract send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult>;

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}

/** `gcp.storage`: one object per event through the JSON API's media upload. */
export class StorageOutput extends GoogleHttpOutput {
  private readonly stamp: () => bigint;

  constructor(
    name: string,
    type: string,
    options: HttpSenderOptions,
    token: Token,
    secrets: readonly string[],
    private readonly cfg: { bucket: string; prefix: string; endpoint: string },
    now: () => number,
  ) {
    super(name, type, options, token, secrets);
    this.stamp = uploadClock(now);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) => {
      const key = objectKey(this.cfg.prefix, this.stamp());
      const url = `${this.cfg.endpoint}/upload/storage/v1/b/${encodeURIComponent(this.cfg.bucket)}/o?uploadType=media&name=${encodeURIComponent(key)}`;
      return this.post(url, eventJson(event), {}, signal);
    });
  }
}

/** `gcp.cloudfunctions`: the Cloud Functions v1 `call` method with the event JSON as data. */
export class CloudFunctionsOutput extends GoogleHttpOutput {
  constructor(
    name: string,
    type: string,
    options: HttpSenderOptions,
    token: Token,
    secrets: readonly string[],
    private readonly cfg: { name: string; endpoint: string },
  ) {
    super(name, type, options, token, secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) =>
      this.post(`${this.cfg.endpoint}/v1/${this.cfg.name}:call`, callFunctionBody(event), {}, signal),
    );
  }
}

/** `gcp.cloudrun`: POSTs the event JSON to the service, with the configured JWT as bearer. */
export class CloudRunOutput extends GoogleHttpOutput {
  constructor(
    name: string,
    type: string,
    options: HttpSenderOptions,
    secrets: readonly string[],
    private readonly cfg: { endpoint: string; jwt: string },
  ) {
    super(name, type, options, () => Promise.resolve(cfg.jwt === '' ? undefined : cfg.jwt), secrets);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, (event) => this.post(this.cfg.endpoint, eventJson(event), {}, signal));
  }
}
