import type { FalcoEvent } from '@falconer/contracts';
import { BrokerOutput, type TlsMaterial } from '@falconer/outputs-core';
import { connect, DebugEvents, Events, type ConnectionOptions, type NatsConnection } from 'nats';
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
export class NatsOutput extends BrokerOutput<NatsConnection> {
  constructor(
    name: string,
    type: string,
    private readonly config: NatsConfig,
  ) {
    super(name, type, { maxEvents: 1000, flushIntervalMs: 0 }, config.secrets);
  }

  protected async connect(): Promise<NatsConnection> {
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
      else if (s.type === DebugEvents.Reconnecting) this.link.attempt();
      else if (s.type === Events.Reconnect) this.link.up();
    }
    const err = await nc.closed();
    this.link.lost(err ?? 'connection closed');
  }

  protected disconnect(nc: NatsConnection): Promise<void> {
    return nc.close();
  }

  protected async publish(nc: NatsConnection, batch: readonly FalcoEvent[]): Promise<undefined> {
    for (const e of batch) nc.publish(natsSubject(this.config.subjectTemplate, e), natsPayload(e));
    // the server answers the PING after it has read every message published before it
    await nc.flush();
    return undefined;
  }
}
