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
  TriageChange,
} from '@falconer/contracts';
import { eventText, matchesQuery, normalizeQuery, type NormalizedQuery } from '@falconer/store';
import type { FalconerConfig } from '@falconer/config';
import { serializeStoredEvent } from '@falconer/falco';
import { CONFIG, LOGGER } from '../core/tokens';
import { LiveStats } from './live.stats';

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

interface Subscriber {
  socket: LiveSocket;
  query: NormalizedQuery;
  /** Events not sent because the socket was over its byte budget, since the last `lagging` notice. */
  dropped: number;
  /** Bytes handed to socket.io since engine.io last flushed this socket's buffer to its transport. */
  queued: number;
}

/**
 * A socket that missed this many events in a row is closed (its buffer discarded at once); the page
 * reconnects by itself and reloads from the history API. A stalled client must not hold memory.
 */
const DISCONNECT_AFTER_DROPPED = 100;

export class SubscriptionLimitError extends Error {}

/** The other replicas on the same Redis (live.relay.ts): what this one sees, they see. */
export interface LivePeers {
  event(event: FalcoEvent): void;
  delivery(uuid: string, status: DeliveryStatus): void;
  remediation(record: RemediationRecord): void;
  triage(change: TriageChange): void;
}

/**
 * Fans accepted events out to subscribed dashboards, each with its own filter. Every socket has a byte
 * budget (`live.bufferbytes`): what it has not taken yet counts against it; past the budget events are
 * dropped for that socket (a `lagging` notice follows when it catches up) and a socket that stays behind
 * is disconnected. The free text of an event is computed at most once, whatever the number of filters.
 */
@Injectable()
export class LiveHub {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly budget: number;
  private readonly maxSubscriptions: number;
  private peers: LivePeers | undefined;

  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(LiveStats) private readonly stats: LiveStats,
    @Inject(CONFIG) config: FalconerConfig,
  ) {
    this.budget = config.live.bufferbytes;
    this.maxSubscriptions = config.live.maxsubscriptions;
    stats.onTick((message) => {
      const bytes = JSON.stringify(message).length;
      for (const sub of this.subscribers.values()) this.send(sub, bytes, (s) => s.emit('stats', message));
    });
  }

  subscribe(socket: LiveSocket, query: EventQuery): void {
    // throws QueryError for a bad filter; the gateway answers the ack with it
    const normalized = normalizeQuery(query);
    const existing = this.subscribers.get(socket.id);
    if (existing !== undefined) {
      existing.query = normalized;
      return;
    }
    if (this.subscribers.size >= this.maxSubscriptions)
      throw new SubscriptionLimitError(
        `too many live subscriptions (live.maxsubscriptions: ${this.maxSubscriptions})`,
      );
    const sub: Subscriber = { socket, query: normalized, dropped: 0, queued: 0 };
    // engine.io emits `drain` when it hands the socket's buffer to the transport: that much is gone
    socket.conn.on('drain', () => {
      sub.queued = 0;
    });
    this.subscribers.set(socket.id, sub);
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

  /** Sends when the socket has room for `bytes` more; else counts a drop and may close a laggard. */
  private send(sub: Subscriber, bytes: number, emit: (socket: LiveSocket) => void): boolean {
    if (sub.queued + bytes > this.budget && sub.queued > 0) {
      sub.dropped++;
      if (sub.dropped >= DISCONNECT_AFTER_DROPPED) {
        this.log.info({ socket: sub.socket.id, queued: sub.queued }, 'live socket lagging: disconnected');
        this.subscribers.delete(sub.socket.id);
        // discard: a stalled client never drains, and closing without discarding would wait for it
        sub.socket.conn.close(true);
      }
      return false;
    }
    if (sub.dropped > 0) {
      sub.socket.emit('lagging', { dropped: sub.dropped });
      this.log.debug({ socket: sub.socket.id, dropped: sub.dropped }, 'live socket lagging');
      sub.dropped = 0;
    }
    sub.queued += bytes;
    emit(sub.socket);
    return true;
  }

  /** `fromPeer`: another replica accepted it (and told its own peers). */
  publish(event: FalcoEvent, fromPeer = false): void {
    if (!fromPeer) this.peers?.event(event);
    this.stats.count(event);
    if (this.subscribers.size === 0) return;
    let json: string | undefined;
    let text: string | undefined;
    const textOf = (): string => (text ??= eventText(event));
    for (const sub of this.subscribers.values()) {
      if (!matchesQuery(sub.query, event, textOf)) continue;
      json ??= serializeStoredEvent(event);
      const body = json;
      this.send(sub, body.length, (s) => s.emit('event', body));
    }
  }

  /** Delivery and remediation updates go to every subscriber (the page decides what is on screen). */
  delivery(uuid: string, status: DeliveryStatus, fromPeer = false): void {
    if (!fromPeer) this.peers?.delivery(uuid, status);
    const update = { uuid, status };
    const bytes = JSON.stringify(update).length;
    for (const sub of this.subscribers.values()) this.send(sub, bytes, (s) => s.emit('delivery', update));
  }

  remediation(record: RemediationRecord, fromPeer = false): void {
    if (!fromPeer) this.peers?.remediation(record);
    const bytes = JSON.stringify(record).length;
    for (const sub of this.subscribers.values()) this.send(sub, bytes, (s) => s.emit('remediation', record));
  }

  /** Triage changes go to every subscriber, like delivery updates. */
  triage(change: TriageChange, fromPeer = false): void {
    if (!fromPeer) this.peers?.triage(change);
    const bytes = JSON.stringify(change).length;
    for (const sub of this.subscribers.values()) this.send(sub, bytes, (s) => s.emit('triage', change));
  }
}
