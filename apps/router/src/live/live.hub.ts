import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  EventQuery,
  FalcoEvent,
  RemediationRecord,
  ServerToClientEvents,
  DeliveryStatus,
} from '@falconer/contracts';
import { matchesQuery, normalizeQuery, type NormalizedQuery } from '@falconer/store';
import { serializeEvent } from '@falconer/falco';
import { LOGGER } from '../core/tokens';
import { LiveStats } from './live.stats';

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

interface Subscriber {
  socket: LiveSocket;
  query: NormalizedQuery;
  dropped: number;
}

/** Packets a socket may have waiting before new events are dropped for it (a slow browser must not slow ingest). */
const MAX_BUFFERED_PACKETS = 1000;

/** Packets engine.io holds for this client but has not written yet (its `writeBuffer` is not in the public types). */
function bufferedPackets(socket: LiveSocket): number {
  const conn = socket.conn as unknown as { writeBuffer?: unknown[] };
  return conn.writeBuffer?.length ?? 0;
}

/** The other replicas on the same Redis (live.relay.ts): what this one sees, they see. */
export interface LivePeers {
  event(event: FalcoEvent): void;
  delivery(uuid: string, status: DeliveryStatus): void;
  remediation(record: RemediationRecord): void;
}

/** Fans accepted events out to subscribed dashboards, each with its own filter. */
@Injectable()
export class LiveHub {
  private readonly subscribers = new Map<string, Subscriber>();
  private peers: LivePeers | undefined;

  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(LiveStats) private readonly stats: LiveStats,
  ) {
    stats.onTick((message) => {
      for (const sub of this.subscribers.values()) sub.socket.emit('stats', message);
    });
  }

  subscribe(socket: LiveSocket, query: EventQuery): void {
    // throws QueryError for a bad filter; the gateway answers the ack with it
    const normalized = normalizeQuery(query);
    this.subscribers.set(socket.id, { socket, query: normalized, dropped: 0 });
  }

  unsubscribe(socket: LiveSocket): void {
    this.subscribers.delete(socket.id);
  }

  attachPeers(peers: LivePeers): void {
    this.peers = peers;
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** `fromPeer`: another replica accepted it (and told its own peers). */
  publish(event: FalcoEvent, fromPeer = false): void {
    if (!fromPeer) this.peers?.event(event);
    this.stats.count(event);
    if (this.subscribers.size === 0) return;
    let json: string | undefined;
    for (const sub of this.subscribers.values()) {
      if (!matchesQuery(sub.query, event)) continue;
      if (bufferedPackets(sub.socket) > MAX_BUFFERED_PACKETS) {
        sub.dropped++;
        continue;
      }
      if (sub.dropped > 0) {
        sub.socket.emit('lagging', { dropped: sub.dropped });
        this.log.debug({ socket: sub.socket.id, dropped: sub.dropped }, 'live socket lagging');
        sub.dropped = 0;
      }
      json ??= serializeEvent(event);
      sub.socket.emit('event', json);
    }
  }

  /** Delivery and remediation updates go to every subscriber (the page decides what is on screen). */
  delivery(uuid: string, status: DeliveryStatus, fromPeer = false): void {
    if (!fromPeer) this.peers?.delivery(uuid, status);
    for (const sub of this.subscribers.values()) sub.socket.emit('delivery', { uuid, status });
  }

  remediation(record: RemediationRecord, fromPeer = false): void {
    if (!fromPeer) this.peers?.remediation(record);
    for (const sub of this.subscribers.values()) sub.socket.emit('remediation', record);
  }
}
