import type { FalcoEvent, StatsMessage, TriageMark } from '@falconer/contracts';
import type { FeedStore } from './feed-store';

/** TanStack Query keys. Everything the socket learns goes into the query cache under these. */
export const keys = {
  feed: ['live', 'feed'] as const,
  status: ['live', 'status'] as const,
  stats: ['live', 'stats'] as const,
  rate: ['live', 'rate'] as const,
  search: (q: string, page: number) => ['events', 'search', q, page] as const,
  event: (uuid: string) => ['events', 'detail', uuid] as const,
  overview: ['overview'] as const,
  outputs: ['outputs'] as const,
  deadletters: ['deadletters'] as const,
  triage: ['live', 'triage'] as const,
  whoami: ['whoami'] as const,
};

/** Triage states the page knows of beyond what it fetched (live changes, its own actions); absent = new. */
export interface TriageSnapshot {
  marks: ReadonlyMap<string, TriageMark>;
  version: number;
}

export interface FeedSnapshot {
  store: FeedStore;
  /** Bumps whenever events were added (the store itself is mutable). */
  version: number;
  /** Events the server dropped for this page since it loaded (`lagging`). */
  dropped: number;
}

export type LiveStatus = 'connecting' | 'live' | 'disconnected' | 'error';

export interface LiveRate {
  /** Events per second received over the last few seconds. */
  perSecond: number;
  received: number;
}

export type { FalcoEvent, StatsMessage };
