import { randomBytes } from 'node:crypto';
import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import {
  Link,
  rejectOnAbort,
  type BatchPolicy,
  type Output,
  type OutputHealth,
  type SendResult,
  type TlsMaterial,
} from '@falconer/outputs-core';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';

export interface MqttConfig {
  /** `mqtt://`, `mqtts://`, `tcp://`, `ssl://`, `tls://`, `ws://`, `wss://`. */
  broker: string;
  topic: string;
  qos: 0 | 1 | 2;
  retained: boolean;
  user: string;
  password: string;
  checkcert: boolean;
  material: TlsMaterial;
  reconnectMs: number;
  secrets: readonly string[];
}

/**
 * Publishes falcosidekick's event JSON to one topic on one MQTT connection held for the output's
 * lifetime (falcosidekick connects and disconnects around every event). QoS 1 and 2 publishes resolve
 * on the broker's acknowledgement; QoS 0 once written. Nothing is queued while disconnected: the send
 * fails (retryable) and the delivery layer retries it.
 */
export class MqttOutput implements Output {
  readonly batch: BatchPolicy = { maxEvents: 500, flushIntervalMs: 0 };
  private readonly link: Link<MqttClient>;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: MqttConfig,
  ) {
    this.link = new Link({
      open: () => this.open(),
      close: (c) => c.endAsync(true),
      secrets: config.secrets,
    });
  }

  private async open(): Promise<MqttClient> {
    const c = this.config;
    const opts: IClientOptions = {
      // falcosidekick's client id is `falcosidekick-` and six random characters
      clientId: `falconer-${randomBytes(3).toString('hex')}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: c.reconnectMs,
      connectTimeout: 5_000,
      queueQoSZero: false,
      rejectUnauthorized: c.checkcert,
      ...(c.user !== '' && c.password !== '' ? { username: c.user, password: c.password } : {}),
      ...(c.material.ca ? { ca: c.material.ca } : {}),
    };
    // no retries for the first connection: the Link retries it with its backoff
    const client = await connectAsync(c.broker, opts, false);
    client.on('offline', () => this.link.down('connection lost, reconnecting'));
    client.on('error', (err) => this.link.down(err));
    client.on('connect', () => this.link.up());
    return client;
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return this.link.run(async (client) => {
      const { topic, qos, retained } = this.config;
      // pipelined: every publish of the batch goes out before the first acknowledgement comes back
      await rejectOnAbort(
        Promise.all(
          batch.map((e) => client.publishAsync(topic, serializeEvent(e), { qos, retain: retained })),
        ),
        signal,
      );
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
