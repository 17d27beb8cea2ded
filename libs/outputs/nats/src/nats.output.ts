import type { FalcoEvent } from '@falconer/contracts';
import {
  rejectOnAbort,
  Link,
  type BatchPolicy,
  type Output,
  type OutputHealth,
  type SendResult,
  type TlsMaterial,
} from '@falconer/outputs-core';
import { connect, Events, type ConnectionOptions, type NatsConnection } from 'nats';
import { natsPayload, natsSubject } from './nats.format';

export interface NatsConfig {
  servers: string[];
  subjectTemplate: string;
  user?: string;
  pass?: string;
  token?: string;
  /** `tls://` server or TLS material given. */
  tls?: { verify: boolean; material: TlsMaterial };
  secrets: readonly string[];
  /** Fixed wait between reconnection attempts (the client adds jitter). */
  reconnectWaitMs: number;
}

/**
 * Publishes each event to its subject on one NATS connection held for the output's lifetime (the
 * client reconnects by itself); a batch is published then flushed with one round trip, so success
 * means the server has read every message.
 */
export class NatsOutput implements Output {
  readonly batch: BatchPolicy = { maxEvents: 1000, flushIntervalMs: 0 };
  private readonly link: Link<NatsConnection>;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: NatsConfig,
  ) {
    this.link = new Link({
      open: () => this.open(),
      close: (nc) => nc.close(),
      secrets: config.secrets,
    });
  }

  private async open(): Promise<NatsConnection> {
    const c = this.config;
    const opts: ConnectionOptions = {
      servers: c.servers,
      name: `falconer-${this.name}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: c.reconnectWaitMs,
      reconnectJitter: Math.floor(c.reconnectWaitMs / 2),
      pingInterval: 20_000,
      timeout: 5_000,
      ...(c.user !== undefined ? { user: c.user, pass: c.pass ?? '' } : {}),
      ...(c.token !== undefined ? { token: c.token } : {}),
      ...(c.tls
        ? {
            tls: {
              ...(c.tls.material.ca ? { ca: c.tls.material.ca.map(String).join('\n') } : {}),
              ...(c.tls.material.cert ? { cert: String(c.tls.material.cert) } : {}),
              ...(c.tls.material.key ? { key: String(c.tls.material.key) } : {}),
              ...(c.tls.verify ? {} : { rejectUnauthorized: false }),
            },
          }
        : {}),
    };
    const nc = await connect(opts);
    void this.watch(nc);
    return nc;
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect)
        this.link.down(`disconnected from ${typeof s.data === 'string' ? s.data : 'the server'}`);
      else if (s.type === Events.Reconnect) this.link.up();
    }
    const err = await nc.closed();
    this.link.lost(err ?? 'connection closed');
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return this.link.run(async (nc) => {
      for (const e of batch) nc.publish(natsSubject(this.config.subjectTemplate, e), natsPayload(e));
      // the server answers the PING after it has read every message published before it
      await rejectOnAbort(nc.flush(), signal);
      return undefined;
    });
  }

  health(): OutputHealth {
    return this.link.health();
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
