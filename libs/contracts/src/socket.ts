import type { DeliveryStatus, EventQuery, RemediationRecord, TriageMark } from './api';
import type { Priority } from './event';

/**
 * Events travel over socket.io as their JSON text (`EventJson`) so that 19-digit numbers survive;
 * the dashboard parses them with `parseLosslessJson`.
 */
export type EventJson = string;

export interface StatsMessage {
  /** Events per second over the last few seconds, per priority. */
  rates: Partial<Record<Priority, number>>;
  total: number;
  outputs: { name: string; health: 'ok' | 'degraded' | 'failing'; queueDepth: number }[];
  /** Redis mode: events accepted while Redis was unreachable and not yet written to it (ADR 0013). */
  spool?: SpoolStatus;
}

/** The in-memory spool of events accepted while Redis is unreachable. */
export interface SpoolStatus {
  /** Events waiting to be written to Redis. */
  events: number;
  /** `redis.spool.maxevents`: past it ingest answers 503. */
  capacity: number;
  /** When the current outage's spooling started (absent when the spool is not in use). */
  since?: string;
}

export interface TriageChange {
  uuids: string[];
  triage: TriageMark;
}

export interface SubscribeAck {
  ok: boolean;
  error?: string;
}

export interface ServerToClientEvents {
  event: (event: EventJson) => void;
  stats: (stats: StatsMessage) => void;
  delivery: (update: { uuid: string; status: DeliveryStatus }) => void;
  remediation: (record: RemediationRecord) => void;
  /** These events' triage state changed (one message per operator action; a bulk change in chunks). */
  triage: (change: TriageChange) => void;
  /** Events were dropped for this socket because it could not keep up; refetch from the history API. */
  lagging: (info: { dropped: number }) => void;
}

export interface ClientToServerEvents {
  subscribe: (query: EventQuery, ack?: (result: SubscribeAck) => void) => void;
  unsubscribe: () => void;
}

/** Where the dashboard attaches credentials in the handshake (security.md). */
export interface HandshakeAuth {
  token?: string;
}
