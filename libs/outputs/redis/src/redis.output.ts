import type { FalcoEvent } from '@falconer/contracts';
import { BrokerOutput, brokerRefusal, type SendResult, type TlsMaterial } from '@falconer/outputs-core';
import { createClient, type RedisClientType } from 'redis';
import { redisArguments } from './redis.format';

export interface RedisOutputConfig {
  host: string;
  port: number;
  username: string;
  password: string;
  database: number;
  storage: 'list' | 'hashmap';
  key: string;
  tls?: { verify: boolean; material: TlsMaterial };
  secrets: readonly string[];
}

type Client = RedisClientType;

/**
 * RPUSH (list) or HSET (hashmap) of falcosidekick's event JSON on one Redis connection held for the
 * output's lifetime. Commands are never queued while disconnected: a send then fails (retryable) and the
 * delivery layer retries it; the client reconnects with backoff by itself.
 */
export class RedisOutput extends BrokerOutput<Client> {
  constructor(
    name: string,
    type: string,
    private readonly config: RedisOutputConfig,
  ) {
    super(name, type, { maxEvents: 1000, flushIntervalMs: 0 }, config.secrets);
  }

  protected async connect(): Promise<Client> {
    const c = this.config;
    let connected = false;
    const client: Client = createClient({
      socket: {
        host: c.host,
        port: c.port,
        connectTimeout: 5_000,
        // before the first connection the Link retries (with its backoff); after it, the client does
        reconnectStrategy: (retries: number, cause: Error) =>
          connected ? Math.min(100 * 2 ** retries, 3_000) + Math.floor(Math.random() * 100) : cause,
        ...(c.tls
          ? {
              tls: true as const,
              rejectUnauthorized: c.tls.verify,
              ...(c.tls.material.ca ? { ca: c.tls.material.ca } : {}),
              ...(c.tls.material.cert ? { cert: c.tls.material.cert } : {}),
              ...(c.tls.material.key ? { key: c.tls.material.key } : {}),
            }
          : {}),
      },
      ...(c.username !== '' ? { username: c.username } : {}),
      ...(c.password !== '' ? { password: c.password } : {}),
      database: c.database,
      disableOfflineQueue: true,
      name: `falconer-${this.name}`,
    });
    client.on('error', (err: unknown) => this.link.down(err));
    await client.connect();
    connected = true;
    client.on('reconnecting', () => {
      this.link.down('connection lost, reconnecting');
      this.link.attempt();
    });
    client.on('ready', () => this.link.up());
    return client;
  }

  protected disconnect(client: Client): Promise<void> {
    return client.close();
  }

  /** One RPUSH or HSET of the whole batch: stored in one round trip, atomically. */
  protected async publish(client: Client, batch: readonly FalcoEvent[]): Promise<undefined> {
    const args = redisArguments(this.config.storage, batch);
    await client.sendCommand([this.config.storage === 'list' ? 'RPUSH' : 'HSET', this.config.key, ...args]);
    return undefined;
  }

  /** WRONGTYPE (the key holds another type), ERR: Redis refused the command; sending it again will not help. */
  protected override failure(err: unknown): SendResult | undefined {
    const msg = err instanceof Error ? err.message : String(err);
    return /^(WRONGTYPE|ERR )/.test(msg) ? brokerRefusal(err, this.config.secrets) : undefined;
  }
}
