import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import { BrokerOutput, brokerRefusal, type SendResult } from '@falconer/outputs-core';
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
export class KafkaOutput extends BrokerOutput<Producer> {
  constructor(
    name: string,
    type: string,
    private readonly config: KafkaOutputConfig,
  ) {
    super(name, type, { maxEvents: 1000, flushIntervalMs: 0 }, config.secrets);
  }

  protected async connect(): Promise<Producer> {
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

  protected disconnect(producer: Producer): Promise<void> {
    return producer.disconnect();
  }

  protected async publish(producer: Producer, batch: readonly FalcoEvent[]): Promise<undefined> {
    await producer.send({
      topic: this.config.topic,
      acks: this.config.acks,
      compression: this.config.compression,
      messages: batch.map((e) => ({ value: serializeEvent(e) })),
    });
    return undefined;
  }

  protected override failure(err: unknown): SendResult | undefined {
    const e = err as { name?: string; retriable?: boolean };
    // a broker that refuses the records themselves (too large, invalid): sending them again will not help
    if (e.name === 'KafkaJSProtocolError' && e.retriable === false)
      return brokerRefusal(err, this.config.secrets);
    // a connection or timeout failure: the producer is rebuilt (with backoff) on the next send
    this.link.lost(err);
    return undefined;
  }
}
