import type { FalcoEvent } from '@falconer/contracts';
import { brokerFailure, Link, rejectOnAbort, type OutputHealth } from './link';
import type { BatchPolicy, Output, SendResult } from './output';

/**
 * What the broker outputs (NATS, MQTT, RabbitMQ, Redis, Kafka) share: one connection held in a `Link`
 * for the output's lifetime, sends bounded by the delivery layer's signal, `health()` and `close()`.
 * A subclass is only its protocol: how to connect (wiring the client's events to `this.link`), how to
 * disconnect, how to publish a batch, and which errors are the broker refusing the records.
 */
export abstract class BrokerOutput<C> implements Output {
  protected readonly link: Link<C>;

  constructor(
    readonly name: string,
    readonly type: string,
    /** How many events the delivery layer may hand to one `publish()`. */
    readonly batch: BatchPolicy,
    secrets: readonly string[],
  ) {
    this.link = new Link({ open: () => this.connect(), close: (c) => this.disconnect(c), secrets });
  }

  /** Opens the connection (rejects when it cannot); reports the client's own reconnections to `this.link`. */
  protected abstract connect(): Promise<C>;

  /** Closes the connection (errors are ignored). */
  protected abstract disconnect(client: C): Promise<unknown>;

  /**
   * Publishes the batch, resolving once the broker has it: `undefined` for all delivered, or a SendResult
   * with per-event outcomes (`failedIndexes`). A rejection is a failure of the whole batch.
   */
  protected abstract publish(client: C, batch: readonly FalcoEvent[]): Promise<SendResult | undefined>;

  /**
   * A publish that rejected (or timed out): the broker refusing the records themselves
   * (`brokerRefusal`), or undefined for a connection problem, retried (`brokerFailure`). The place to
   * drop a connection the client will not reopen by itself (`this.link.lost(err)`).
   */
  protected failure(_err: unknown): SendResult | undefined {
    return undefined;
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return this.link.run(async (client) => {
      try {
        return await rejectOnAbort(this.publish(client, batch), signal);
      } catch (err) {
        const refused = this.failure(err);
        if (refused !== undefined) return refused;
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

/**
 * A batch published as one acknowledged message per event (MQTT QoS 1/2, AMQP confirms): `publish(i,
 * done)` sends the i-th and the client calls `done(err?)` when the broker acknowledged it (one callback
 * each, no promise per message). Resolves `undefined` when all were acknowledged; when some failed, only
 * those are retried (`failedIndexes`), or dead-lettered when the failure is not retryable. Rejects with
 * the first error when every one failed (the whole batch failed, e.g. the connection dropped).
 */
export function eachAcknowledged(
  n: number,
  publish: (i: number, done: (err?: unknown) => void) => void,
  secrets: readonly string[],
): Promise<SendResult | undefined> {
  return new Promise((resolve, reject) => {
    let pending = n;
    const failed: number[] = [];
    let first: unknown;
    const settle = (): void => {
      failed.sort((a, b) => a - b);
      if (failed.length === 0) resolve(undefined);
      else if (failed.length === n) reject(first instanceof Error ? first : new Error(String(first)));
      else {
        const f = brokerFailure(first, secrets);
        resolve(
          f.retryable
            ? { ...f, failedIndexes: failed }
            : { ...f, failedIndexes: [], rejectedIndexes: failed },
        );
      }
    };
    if (n === 0) return settle();
    for (let i = 0; i < n; i++) {
      let called = false;
      const done = (err?: unknown): void => {
        if (called) return;
        called = true;
        if (err !== undefined && err !== null) {
          if (failed.length === 0) first = err;
          failed.push(i);
        }
        if (--pending === 0) settle();
      };
      try {
        publish(i, done);
      } catch (err) {
        done(err ?? new Error('publish failed'));
      }
    }
  });
}
