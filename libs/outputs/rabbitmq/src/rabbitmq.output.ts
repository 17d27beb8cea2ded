import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { BrokerOutput, eachAcknowledged, type SendResult } from '@falconer/outputs-core';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';

export interface RabbitmqConfig {
  url: string;
  queue: string;
  /** Shown in the broker's connection list. */
  connectionName: string;
  secrets: readonly string[];
}

interface Session {
  conn: ChannelModel;
  ch: ConfirmChannel;
}

/**
 * Publishes falcosidekick's event JSON to a queue through the default exchange (as falcosidekick does),
 * on one connection and one confirm channel held for the output's lifetime. A batch is published then
 * confirmed by the broker at once; a lost connection is reopened (with backoff) on the next send.
 */
export class RabbitmqOutput extends BrokerOutput<Session> {
  constructor(
    name: string,
    type: string,
    private readonly config: RabbitmqConfig,
  ) {
    super(name, type, { maxEvents: 500, flushIntervalMs: 0 }, config.secrets);
  }

  protected async connect(): Promise<Session> {
    const conn = await connect(this.config.url, {
      clientProperties: { connection_name: this.config.connectionName },
      timeout: 5_000,
    });
    const lost = (err?: unknown): void => this.link.lost(err ?? 'connection closed by the broker');
    conn.on('error', lost);
    conn.on('close', lost);
    try {
      const ch = await conn.createConfirmChannel();
      ch.on('error', lost);
      ch.on('close', lost);
      return { conn, ch };
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  protected disconnect(s: Session): Promise<void> {
    return s.conn.close();
  }

  /** Each message is confirmed (or nacked) by the broker on its own: only the nacked ones are retried. */
  protected publish({ ch }: Session, batch: readonly FalcoEvent[]): Promise<SendResult | undefined> {
    return eachAcknowledged(
      batch.length,
      (i, done) =>
        ch.sendToQueue(
          this.config.queue,
          Buffer.from(serializeEvent(batch[i] as FalcoEvent)),
          { contentType: 'text/plain' },
          (err: Error | null) => done(err),
        ),
      this.config.secrets,
    );
  }
}
