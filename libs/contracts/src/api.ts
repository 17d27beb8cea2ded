import type { FalcoEvent } from './event';

/** Query parameters shared by search, count, histogram, export and the live subscription. */
export interface EventQuery {
  /** Each list is OR; lists are AND with each other. */
  priority?: string[];
  rule?: string[];
  source?: string[];
  hostname?: string[];
  tags?: string[];
  /** Falconer additions. */
  namespace?: string[];
  pod?: string[];
  /** Free text over output, rule, tags and field values. */
  filter?: string;
  /** `15m`, `2h`, `7d` or seconds; compared with the event's `time`. */
  since?: string;
  /** Falconer: an absolute lower/upper bound, RFC 3339. */
  from?: string;
  to?: string;
  /** Falconer: triage states (`new`, `acknowledged`, `resolved`); comma = OR. */
  triage?: string[];
}

/** `GET /api/v1/events/search`, falcosidekick-ui's shape (`returned` is absent when 0, as there). */
export interface SearchResponse<E = FalcoEvent> {
  results: E[];
  statistics: { returned?: number; all: number };
}

/** `GET /api/v1/events/count`. */
export interface CountResponse {
  statistics: { all: number };
}

/**
 * `GET /api/v1/events/count/:groupby`, falcosidekick-ui's shape: counts per value; `all` is their sum,
 * `distincts` the number of values (absent when 0, as there).
 */
export interface CountByResponse {
  results: Record<string, number>;
  statistics: { all: number; distincts?: number };
}

export interface HistogramBucket {
  /** Start of the bucket, RFC 3339. */
  time: string;
  counts: Record<string, number>;
}
export interface HistogramResponse {
  interval: string;
  buckets: HistogramBucket[];
}

export type FailureReason =
  'client_error' | 'auth_error' | 'rate_limited' | 'server_error' | 'timeout' | 'network';
export type DeliveryReason = 'ok' | FailureReason;

/** `silenced`: a silence kept the event from this output (`detail` holds the silence's id, `attempts` is 0). */
export type DeliveryState = 'queued' | 'retrying' | 'delivered' | 'dead_lettered' | 'silenced';
export interface DeliveryStatus {
  output: string;
  state: DeliveryState;
  attempts: number;
  reason?: DeliveryReason;
  detail?: string;
  /** RFC 3339 */
  updatedAt: string;
}

export type RemediationOutcome = 'acted' | 'dry_run' | 'skipped' | 'failed';
export interface RemediationRecord {
  /** The event's uuid. */
  uuid: string;
  rule: string;
  action: string;
  outcome: RemediationOutcome;
  target?: { namespace?: string; pod?: string };
  reason?: string;
  /** HTTP status of the Kubernetes API when it answered with an error. */
  status?: number;
  /** RFC 3339 */
  at: string;
}

/** One delivery attempt's outcome (or a silence), as the delivery layer reported it. */
export interface DeliveryAttempt {
  output: string;
  /** 1-based attempt number (0 for a silenced output). */
  attempt: number;
  state: DeliveryState;
  reason?: DeliveryReason;
  detail?: string;
  /** RFC 3339 */
  at: string;
}

/** The attempt a delivery status reports: every status the delivery layer writes ends one attempt. */
export function attemptOf(status: DeliveryStatus): DeliveryAttempt {
  const a: DeliveryAttempt = {
    output: status.output,
    attempt: status.attempts,
    state: status.state,
    at: status.updatedAt,
  };
  if (status.reason !== undefined) a.reason = status.reason;
  if (status.detail !== undefined) a.detail = status.detail;
  return a;
}

/** What the router decided for an event when it arrived. */
export interface RoutingRecord {
  /** RFC 3339, when the router accepted it. */
  receivedAt: string;
  /** Output instances whose filter matched (queued for them). */
  matched: string[];
  /** Output instances whose filter (or minimum priority) left it out. */
  filtered: string[];
  /** Recorded for history only (falcosidekick's webui output): routed by the sender. */
  historyOnly?: boolean;
}

export const TRIAGE_STATES = ['new', 'acknowledged', 'resolved'] as const;
export type TriageState = (typeof TRIAGE_STATES)[number];
/** An event's triage state; `by` and `at` are absent while it is `new` and was never changed. */
export interface TriageMark {
  state: TriageState;
  /** Username of the operator who set it. */
  by?: string;
  /** RFC 3339 */
  at?: string;
}
/** `PATCH /api/v1/events/{uuid}/triage`. */
export interface TriageRequest {
  state: TriageState;
}
/** `POST /api/v1/events/triage`: the events of an explorer query, or listed uuids (one of the two). */
export interface BulkTriageRequest {
  state: TriageState;
  query?: EventQuery;
  uuids?: string[];
}
export interface BulkTriageResponse {
  /** Events whose state changed. */
  changed: number;
  /** Events already in that state. */
  unchanged: number;
  /** Listed uuids the store does not hold (or no longer). */
  notFound: number;
  /** The query matched more than one call changes (BULK_TRIAGE_MAX): call again for the rest. */
  truncated: boolean;
}
/** Most events one bulk triage call changes (query form), newest first. */
export const BULK_TRIAGE_MAX = 10_000;
/** Most uuids one bulk triage call lists. */
export const BULK_TRIAGE_MAX_UUIDS = 1_000;
/** Triage changes kept per event (the oldest are dropped). */
export const TRIAGE_HISTORY_MAX = 50;
/** Delivery attempts kept per event and output (the oldest are dropped). */
export const DELIVERY_ATTEMPTS_MAX = 20;

export interface EventDetail<E = FalcoEvent> {
  event: E;
  deliveries: DeliveryStatus[];
  remediations: RemediationRecord[];
  /** The current triage state. */
  triage: TriageMark;
  /** Every change, oldest first (at most TRIAGE_HISTORY_MAX). */
  triageHistory: TriageMark[];
  /** Absent for events recorded before Falconer kept it. */
  routing?: RoutingRecord;
  /** Each output's attempts, oldest first (at most DELIVERY_ATTEMPTS_MAX per output). */
  attempts: DeliveryAttempt[];
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * Where a broker output's connection is: `idle` (not used yet), `connecting` (first attempt),
 * `connected`, `reconnecting` (an established connection was lost; being reopened), `down` (never
 * established: attempts fail), `closed` (shut down).
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'down' | 'closed';

/** A broker output's connection (outputs that hold one: NATS, MQTT, RabbitMQ, Redis, Kafka). */
export interface ConnectionHealth {
  state: ConnectionState;
  /** Failed (re)connection attempts since the connection was last established. */
  attempts: number;
  /** Connections established since start: 1 in normal operation, +1 per reconnection. */
  connects: number;
  /** Losses of an established connection. */
  disconnects: number;
  /** RFC 3339 time of the last state change. */
  since: string;
  /** The last connection error, secrets scrubbed. */
  lastError?: string;
}

export interface OutputInfo {
  name: string;
  type: string;
  enabled: boolean;
  /** The filter in words. */
  filter: string;
  health: 'ok' | 'degraded' | 'failing';
  circuit: CircuitState;
  queueDepth: number;
  oldestQueuedAgeMs: number;
  counters: {
    matched: number;
    sent: number;
    retried: number;
    deadLettered: number;
    failed: Partial<Record<FailureReason, number>>;
    /** Events an active silence kept from this output (this process, since start); set by the outputs API. */
    silenced?: number;
  };
  lastError?: { reason: FailureReason; detail: string; at: string };
  /** Broker outputs: their connection, as this process holds it. */
  connection?: ConnectionHealth;
}
/** `GET /api/v1/outputs/status`. */
export interface OutputsResponse {
  outputs: OutputInfo[];
}
/** `GET /api/v1/outputs`, falcosidekick-ui's shape: output names. */
export type OutputNames = string[];

export interface DeadLetter<E = FalcoEvent> {
  id: string;
  output: string;
  event: E;
  reason: FailureReason;
  detail: string;
  attempts: number;
  /** RFC 3339 */
  at: string;
}
export interface DeadLettersResponse<E = FalcoEvent> {
  statistics: { all: number };
  results: DeadLetter<E>[];
}
export interface ReplayRequest {
  /** Dead-letter ids; absent = all (optionally of one output). */
  ids?: string[];
  output?: string;
}
export interface ReplayResponse {
  replayed: number;
}

/**
 * A silence (docs/silences.md): events that match `filter` (the routing filter language) are recorded and
 * shown but not sent to `outputs` (all when empty) from `startsAt` until `endsAt` (whole seconds).
 */
export interface Silence {
  id: string;
  /** The matcher as it was given (routing.md's filter keys: rules, priorities, tags, hostnames, fields…). */
  filter: Record<string, unknown>;
  /** The matcher in words. */
  matcher: string;
  /** Output instance names; empty = every output. */
  outputs: string[];
  /** RFC 3339, whole seconds (UTC). */
  startsAt: string;
  endsAt: string;
  /** The user who created it. */
  createdBy: string;
  comment: string;
  /** Who expired it early (`DELETE`), if anyone. */
  expiredBy?: string;
}
export type SilenceState = 'active' | 'expired';
export interface SilenceInfo extends Silence {
  state: SilenceState;
}
/** `GET /api/v1/silences`: active first (soonest to end first), then expired (latest first). */
export interface SilencesResponse {
  silences: SilenceInfo[];
}
/** `POST /api/v1/silences`: exactly one of `duration` (`1h`, `30m`) and `endsAt` (RFC 3339). */
export interface CreateSilenceRequest {
  filter: Record<string, unknown>;
  outputs?: string[];
  duration?: string;
  endsAt?: string;
  comment?: string;
}
export interface CreateSilenceResponse {
  id: string;
}

/** `GET /api/v1/whoami`: the signed-in user (`anonymous` operator on loopback or an open dashboard). */
export interface WhoAmIResponse {
  username: string;
  role: 'viewer' | 'operator';
}

export interface ApiError {
  error: string;
  message: string;
  field?: string;
}

/**
 * `GET /api/v1/version`: Falconer's `version`, plus falcosidekick-ui's keys (its Info page lists them all);
 * what a Node.js build cannot know is `unknown`.
 */
export interface VersionResponse {
  version: string;
  GitVersion: string;
  GitCommit: string;
  GitTreeState: string;
  BuildDate: string;
  GoVersion: string;
  Compiler: string;
  Platform: string;
}
