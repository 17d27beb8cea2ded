import type {
  DeliveryStatus,
  EventDetail,
  EventQuery,
  FalcoEvent,
  HistogramResponse,
  RemediationRecord,
} from '@falconer/contracts';

export interface SearchOptions {
  /** 1-based */
  page: number;
  limit: number;
}

export type GroupBy =
  | 'priority'
  | 'rule'
  | 'source'
  | 'tags'
  | 'hostname'
  | 'k8s.ns.name'
  | 'k8s.pod.name'
  | 'container.image.repository';

/** Event history behind one interface: memory ring (default) or Redis. */
export interface EventStore {
  /** Records an accepted, enriched event. Resolves once it is durable for this backend. */
  record(event: FalcoEvent): Promise<void>;
  search(query: EventQuery, options: SearchOptions): Promise<{ total: number; results: FalcoEvent[] }>;
  count(query: EventQuery): Promise<number>;
  countBy(groupBy: GroupBy, query: EventQuery): Promise<Record<string, number>>;
  histogram(query: EventQuery, intervalMs: number): Promise<HistogramResponse>;
  get(uuid: string): Promise<EventDetail | undefined>;
  setDelivery(uuid: string, status: DeliveryStatus): Promise<void>;
  addRemediation(record: RemediationRecord): Promise<void>;
  /** Streams matching events newest first, without a cap. */
  export(query: EventQuery): AsyncIterable<FalcoEvent>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
