import { randomBytes } from 'node:crypto';
import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { BrokerOutput, eachAcknowledged, type SendResult, type TlsMaterial } from '@falconer/outputs-core';
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
export class MqttOutput extends BrokerOutput<MqttClient> {
  constructor(
    name: string,
    type: string,
    private readonly config: MqttConfig,
  ) {
    super(name, type, { maxEvents: 500, flushIntervalMs: 0 }, config.secrets);
  }

  protected async connect(): Promise<MqttClient> {
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
    // a publish written while the socket is backed up waits for one 'drain' each: as many as are in flight
    // (the batch size times the delivery concurrency), by design — not a leak
    const unbounded = (): void => void client.stream.setMaxListeners(0);
    unbounded();
    client.on('offline', () => this.link.down('connection lost, reconnecting'));
    client.on('reconnect', () => this.link.attempt());
    client.on('error', (err) => this.link.down(err));
    client.on('connect', () => {
      unbounded();
      this.link.up();
    });
    return client;
  }

  protected disconnect(client: MqttClient): Promise<void> {
    return client.endAsync(true);
  }

  /**
   * Pipelined: every publish of the batch goes out before the first acknowledgement comes back (QoS 1/2
   * within the client's in-flight window). Each publish has its own outcome: only those that failed are
   * retried.
   */
  protected async publish(client: MqttClient, batch: readonly FalcoEvent[]): Promise<SendResult | undefined> {
    const { topic, qos, retained } = this.config;
    return eachAcknowledged(
      batch.length,
      (i, done) =>
        client.publish(topic, serializeEvent(batch[i] as FalcoEvent), { qos, retain: retained }, done),
      this.config.secrets,
    );
  }
}
