import type {
  DeliveryStatus,
  EventDetail,
  EventQuery,
  FalcoEvent,
  HistogramResponse,
  RemediationRecord,
  RoutingRecord,
  TriageMark,
} from '@falconer/contracts';

export interface SearchOptions {
  /** 1-based */
  page: number;
  limit: number;
}

export const GROUP_BYS = [
  'priority',
  'rule',
  'source',
  'tags',
  'hostname',
  'k8s.ns.name',
  'k8s.pod.name',
  'container.image.repository',
] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/**
 * `record` of a uuid the store still holds: a stored event (and its deliveries and remediation records)
 * is never replaced by a later one that claims its uuid; ingest answers 409 (SECURITY.md, issue 20).
 */
export class DuplicateEventError extends Error {
  constructor(readonly uuid: string) {
    super(`an event with uuid "${uuid}" is already stored; a stored event is never replaced`);
    this.name = 'DuplicateEventError';
  }
}

export type TriageOutcome = 'changed' | 'unchanged' | 'missing';

/**
 * Event history behind one interface: memory ring (default) or Redis. Every query method takes the raw
 * API parameters and throws `QueryError` for a bad one. Results are newest first by the event's `time`;
 * events older than the TTL are never returned, even before retention has removed them.
 */
export interface EventStore {
  /** Records an accepted, enriched event. Resolves once it is durable for this backend. */
  record(event: FalcoEvent): Promise<void>;
  search(query: EventQuery, options: SearchOptions): Promise<{ total: number; results: FalcoEvent[] }>;
  count(query: EventQuery): Promise<number>;
  /** Counts per value; `tags` counts an event once under each of its tags; events without the field are not counted. */
  countBy(groupBy: GroupBy, query: EventQuery): Promise<Record<string, number>>;
  /** Counts per time bucket (only buckets that hold events) and priority. */
  histogram(query: EventQuery, intervalMs: number): Promise<HistogramResponse>;
  get(uuid: string): Promise<EventDetail | undefined>;
  /** Sets the status of one output for a stored event; false when the event is not (or no longer) stored. */
  setDelivery(uuid: string, status: DeliveryStatus): Promise<boolean>;
  /** Appends a remediation record to its event; false when the event is not (or no longer) stored. */
  addRemediation(record: RemediationRecord): Promise<boolean>;
  /**
   * Sets an event's triage state (appended to its history): `changed`, `unchanged` when it is in that
   * state already (nothing recorded), `missing` when the event is not (or no longer) stored.
   */
  setTriage(uuid: string, mark: TriageMark): Promise<TriageOutcome>;
  /** The current triage state of each stored event of `uuids` that is not `new` (search results). */
  triageOf(uuids: readonly string[]): Promise<Map<string, TriageMark>>;
  /** Keeps the routing decision made when the event arrived; false when the event is not stored. */
  setRouting(uuid: string, routing: RoutingRecord): Promise<boolean>;
  /** Streams matching events newest first, without a cap. */
  export(query: EventQuery): AsyncIterable<FalcoEvent>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
