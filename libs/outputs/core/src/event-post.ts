import { randomUUID } from 'node:crypto';
import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { FALCOSIDEKICK_SUCCESS } from './classify';
import { sendEach } from './each';
import { HttpSender, type HttpSenderOptions } from './http';
import type { Output, SendResult } from './output';
import { setting, type Setting } from './descriptor';

/** The body falcosidekick's `Client.Post` sends: the payload through Go's json.Encoder (trailing newline). */
export function eventPayload(event: FalcoEvent): string {
  return serializeEvent(event) + '\n';
}

/** `user` and `password` of outputs that send Basic Auth (Node-RED, n8n): only when both are set. */
export const BASIC_AUTH_SETTINGS = {
  user: setting.string('User for Basic Auth (sent only with a password)'),
  password: setting.string('Password for Basic Auth', '', { secret: true }),
};

/** `username` and `password` for Basic Auth (OpenObserve, ZincSearch): sent only when both are set. */
export const USERNAME_PASSWORD_SETTINGS: {
  username: Setting<string>;
  password: Setting<string>;
} = {
  username: setting.string('Basic auth user (with `password`)'),
  password: setting.string('Basic auth password (with `username`)', '', { secret: true }),
};

export interface EventPostConfig {
  url: string;
  http: HttpSenderOptions;
  /** Per-request headers (auth, event ids); customheaders still win. */
  headers?: (event: FalcoEvent) => Readonly<Record<string, string>>;
  /** Default: `eventPayload`. */
  body?: (event: FalcoEvent) => string | Buffer;
}

/**
 * An output that POSTs each event to one URL, as falcosidekick's plain `Client.Post` outputs do
 * (Node-RED, n8n, Tekton, the FaaS gateways, CloudEvents in binary mode): one request per event.
 */
export class EventPostOutput implements Output {
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: EventPostConfig,
  ) {
    this.http = new HttpSender({ success: FALCOSIDEKICK_SUCCESS, ...config.http });
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      const r = await this.http.send(
        {
          method: 'POST',
          url: this.config.url,
          headers: { ...this.config.headers?.(event) },
          body: (this.config.body ?? eventPayload)(event),
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

/** A fresh `event-id` header value per request, as falcosidekick's FaaS outputs send (uuid v4). */
export const newEventId = (): string => randomUUID();
