import type { FalcoEvent } from '@falconer/contracts';
import {
  Link,
  rejectOnAbort,
  type BatchPolicy,
  type Output,
  type OutputHealth,
  type SendResult,
  type TlsMaterial,
} from '@falconer/outputs-core';
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
export class RedisOutput implements Output {
  readonly batch: BatchPolicy = { maxEvents: 1000, flushIntervalMs: 0 };
  private readonly link: Link<Client>;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: RedisOutputConfig,
  ) {
    this.link = new Link({ open: () => this.open(), close: (c) => c.close(), secrets: config.secrets });
  }

  private async open(): Promise<Client> {
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
    client.on('reconnecting', () => this.link.down('connection lost, reconnecting'));
    client.on('ready', () => this.link.up());
    return client;
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    const r = await this.link.run(async (client) => {
      const args = redisArguments(this.config.storage, batch);
      await rejectOnAbort(
        client.sendCommand([this.config.storage === 'list' ? 'RPUSH' : 'HSET', this.config.key, ...args]),
        signal,
      );
      return undefined;
    });
    // WRONGTYPE (the key holds another type), ERR: Redis refused the command; sending it again will not help
    if (!r.ok && r.reason !== 'auth_error' && /^(WRONGTYPE|ERR )/.test(r.detail))
      return { ...r, retryable: false, reason: 'client_error' };
    return r;
  }

  health(): OutputHealth {
    return this.link.health();
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
