import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import {
  Link,
  rejectOnAbort,
  type BatchPolicy,
  type Output,
  type OutputHealth,
  type SendResult,
} from '@falconer/outputs-core';
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
export class RabbitmqOutput implements Output {
  readonly batch: BatchPolicy = { maxEvents: 500, flushIntervalMs: 0 };
  private readonly link: Link<Session>;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: RabbitmqConfig,
  ) {
    this.link = new Link({ open: () => this.open(), close: (s) => s.conn.close(), secrets: config.secrets });
  }

  private async open(): Promise<Session> {
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

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return this.link.run(async ({ ch }) => {
      for (const e of batch)
        ch.sendToQueue(this.config.queue, Buffer.from(serializeEvent(e)), { contentType: 'text/plain' });
      await rejectOnAbort(ch.waitForConfirms(), signal);
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
