import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import type { DeliveryStatus, FalcoEvent, RemediationRecord, TriageChange } from '@falconer/contracts';
import { decodeStoredEvent, serializeStoredEvent } from '@falconer/falco';
import type { LiveHub, LivePeers } from './live.hub';

/** What one replica tells the others in one message: what happened here during one event-loop turn. */
interface RelayMessage {
  /** serializeStoredEvent text of accepted events. */
  events?: string[];
  deliveries?: { uuid: string; status: DeliveryStatus }[];
  remediations?: RemediationRecord[];
  triage?: TriageChange[];
}

/** The inter-server event the relay rides on (socket.io `serverSideEmit`, over Redis pub/sub). */
const RELAY_EVENT = 'falconer:relay';
/** Calls the socket.io adapter makes without awaiting them. */
const FIRE_AND_FORGET = new Set([
  'publish',
  'subscribe',
  'pSubscribe',
  'unsubscribe',
  'pUnsubscribe',
  'sendCommand',
]);
/** Items per message: a flood goes out as several messages rather than one huge one. */
const MAX_BATCH = 256;

/**
 * Pub/sub channel prefix. Replicas that share a history (same Redis database) share the live stream; pub/sub
 * channels are global to a Redis server, so the database number is part of the name.
 */
export function relayChannel(redisUrl: string): string {
  const db = /^rediss?:\/\/[^/]*\/(\d+)/.exec(redisUrl)?.[1] ?? '0';
  return `falconer:live:${db}`;
}

/**
 * Several routers on one Redis share the live stream: the socket.io Redis adapter joins their socket.io
 * servers, and every event, delivery state and remediation one replica sees is sent to the others
 * (`serverSideEmit`), which push it to their own dashboards with their own filters and per-socket bounds.
 * Live pushes are best effort, like a socket's: while Redis is unreachable they are not queued (history
 * and delivery have their own guarantees); the dashboards reconcile from the query API.
 */
export class LiveRelay implements LivePeers {
  private pending: RelayMessage = {};
  private count = 0;
  private scheduled = false;
  private io: Server | undefined;
  private hub: LiveHub | undefined;

  private constructor(
    private readonly redisUrl: string,
    private readonly pub: ReturnType<typeof createClient>,
    private readonly sub: ReturnType<typeof createClient>,
    private readonly log: Logger,
  ) {}

  static async connect(redisUrl: string, log: Logger): Promise<LiveRelay> {
    // In a Redis Cluster, PUBLISH reaches subscribers on every node: one seed node carries the relay.
    // No offline queue: a publish while Redis is away fails at once instead of piling up.
    const url = redisUrl.split(',')[0]?.trim() ?? redisUrl;
    const pub = createClient({ url, disableOfflineQueue: true });
    const sub = pub.duplicate();
    // one line per client and 10 s: the client retries every few hundred ms during an outage
    for (const [name, client] of [
      ['pub', pub],
      ['sub', sub],
    ] as const) {
      let last = 0;
      client.on('error', (err: Error) => {
        if (Date.now() - last < 10_000) return;
        last = Date.now();
        log.warn({ err: err.message, client: name }, 'live relay: Redis error');
      });
    }
    await Promise.all([pub.connect(), sub.connect()]);
    return new LiveRelay(url, pub, sub, log);
  }

  /** The Nest WebSocket adapter that puts the Redis adapter on the socket.io server it creates. */
  ioAdapter(app: INestApplicationContext): IoAdapter {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the subclass method runs with the adapter as `this`
    const relay = this;
    return new (class extends IoAdapter {
      override createIOServer(port: number, options?: unknown): Server {
        const server = super.createIOServer(port, options) as Server;
        relay.bind(server);
        return server;
      }
    })(app);
  }

  /** Starts pushing to and receiving from the other replicas. */
  attach(hub: LiveHub): void {
    this.hub = hub;
    hub.attachPeers(this);
  }

  private bind(io: Server): void {
    this.io = io;
    // the adapter publishes, subscribes and unsubscribes without waiting for the reply: catch what a
    // disconnected client rejects (an unhandled rejection would end the process)
    const guarded = (client: ReturnType<typeof createClient>): ReturnType<typeof createClient> =>
      new Proxy(client, {
        get: (target, prop) => {
          const value: unknown = Reflect.get(target, prop, target);
          if (typeof value !== 'function') return value;
          const fn = (value as (...a: unknown[]) => unknown).bind(target);
          if (typeof prop !== 'string' || !FIRE_AND_FORGET.has(prop)) return fn;
          return (...args: unknown[]) => {
            const result = fn(...args);
            return result instanceof Promise ? result.catch((err: unknown) => this.dropped(err)) : result;
          };
        },
      });
    io.adapter(createAdapter(guarded(this.pub), guarded(this.sub), { key: relayChannel(this.redisUrl) }));
    io.of('/').on(RELAY_EVENT, (message: RelayMessage) => this.receive(message));
  }

  event(event: FalcoEvent): void {
    (this.pending.events ??= []).push(serializeStoredEvent(event));
    this.queued();
  }

  delivery(uuid: string, status: DeliveryStatus): void {
    (this.pending.deliveries ??= []).push({ uuid, status });
    this.queued();
  }

  remediation(record: RemediationRecord): void {
    (this.pending.remediations ??= []).push(record);
    this.queued();
  }

  triage(change: TriageChange): void {
    (this.pending.triage ??= []).push(change);
    this.queued();
  }

  async close(): Promise<void> {
    this.flush();
    // while Redis is away there is nothing to say goodbye to (and QUIT would wait for a reconnection)
    for (const c of [this.pub, this.sub]) {
      if (c.isReady) await c.quit().catch(() => c.destroy());
      else c.destroy();
    }
  }

  private queued(): void {
    if (++this.count >= MAX_BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.count === 0) return;
    const message = this.pending;
    this.pending = {};
    this.count = 0;
    if (this.io === undefined) return;
    if (!this.pub.isReady) return this.dropped(new Error('Redis not connected'));
    this.io.of('/').serverSideEmit(RELAY_EVENT, message);
  }

  private receive(message: RelayMessage): void {
    const hub = this.hub;
    if (hub === undefined) return; // not started yet
    for (const json of message.events ?? []) {
      try {
        hub.publish(decodeStoredEvent(json), true);
      } catch (err) {
        this.log.warn({ err }, 'live relay: unreadable event from a peer');
      }
    }
    for (const d of message.deliveries ?? []) hub.delivery(d.uuid, d.status, true);
    for (const r of message.remediations ?? []) hub.remediation(r, true);
    for (const t of message.triage ?? []) hub.triage(t, true);
  }

  private lastDropLog = 0;
  private dropped(err: unknown): void {
    // at most one line per 10 s: during an outage every turn would log
    const now = Date.now();
    if (now - this.lastDropLog < 10_000) return;
    this.lastDropLog = now;
    this.log.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'live relay: pushes to other replicas dropped',
    );
  }
}
