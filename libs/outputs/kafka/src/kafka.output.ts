import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import {
  brokerFailure,
  Link,
  rejectOnAbort,
  type BatchPolicy,
  type Output,
  type OutputHealth,
  type SendResult,
} from '@falconer/outputs-core';
import {
  type CompressionTypes,
  Kafka,
  logLevel,
  type KafkaConfig,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import { partitionPicker, type Balancer } from './kafka.partition';

export interface KafkaOutputConfig {
  brokers: string[];
  topic: string;
  clientId: string;
  /** 0 (NONE), 1 (ONE), -1 (ALL). */
  acks: 0 | 1 | -1;
  compression: CompressionTypes;
  balancer: Balancer;
  topicCreation: boolean;
  sasl?: SASLOptions;
  /** TLS: true (system roots) or extra CAs. */
  ssl?: KafkaConfig['ssl'];
  secrets: readonly string[];
}

/**
 * Produces falcosidekick's event JSON (no key) to one topic with one producer held for the output's
 * lifetime; a batch is one produce call (one request per partition leader). kafkajs's own retries are
 * off: the delivery layer retries. After a connection or timeout failure the producer is rebuilt (with
 * backoff) on the next send.
 */
export class KafkaOutput implements Output {
  readonly batch: BatchPolicy = { maxEvents: 1000, flushIntervalMs: 0 };
  private readonly link: Link<Producer>;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: KafkaOutputConfig,
  ) {
    this.link = new Link({ open: () => this.open(), close: (p) => p.disconnect(), secrets: config.secrets });
  }

  private async open(): Promise<Producer> {
    const c = this.config;
    const kafka = new Kafka({
      clientId: c.clientId,
      brokers: c.brokers,
      connectionTimeout: 3_000,
      requestTimeout: 5_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
      ...(c.ssl !== undefined ? { ssl: c.ssl } : {}),
      ...(c.sasl !== undefined ? { sasl: c.sasl } : {}),
    });
    const pick = partitionPicker(c.balancer);
    const producer = kafka.producer({
      allowAutoTopicCreation: c.topicCreation,
      retry: { retries: 0 },
      createPartitioner: () => (args) =>
        pick(
          args.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b),
          args.message.value?.length ?? 0,
        ),
    });
    await producer.connect();
    return producer;
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return this.link.run(async (producer) => {
      try {
        await rejectOnAbort(
          producer.send({
            topic: this.config.topic,
            acks: this.config.acks,
            compression: this.config.compression,
            messages: batch.map((e) => ({ value: serializeEvent(e) })),
          }),
          signal,
        );
        return undefined;
      } catch (err) {
        const e = err as { name?: string; retriable?: boolean };
        // a broker that refuses the records themselves (too large, invalid): sending them again will not help
        if (e.name === 'KafkaJSProtocolError' && e.retriable === false) {
          const f = brokerFailure(err, this.config.secrets);
          return f.reason === 'auth_error' ? f : { ...f, retryable: false, reason: 'client_error' };
        }
        // a connection or timeout failure: the producer is rebuilt (with backoff) on the next send
        this.link.lost(err);
        throw err;
      }
    });
  }

  health(): OutputHealth {
    return this.link.health();
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
