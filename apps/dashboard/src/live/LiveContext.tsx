import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { StatsMessage } from '@falconer/contracts';
import type { LiveConnector } from './connector';
import { keys, type FeedSnapshot, type LiveRate, type LiveStatus, type TriageSnapshot } from './keys';

const LiveContext = createContext<LiveConnector | undefined>(undefined);

export function LiveProvider({ connector, children }: { connector: LiveConnector; children: ReactNode }) {
  useEffect(() => {
    connector.start();
    return () => connector.stop();
  }, [connector]);
  return <LiveContext.Provider value={connector}>{children}</LiveContext.Provider>;
}

export function useLiveConnector(): LiveConnector {
  const c = useContext(LiveContext);
  if (c === undefined) throw new Error('useLiveConnector outside LiveProvider');
  return c;
}

/** A value the live connector writes into the query cache; components re-render when it changes. */
function useCacheValue<T>(key: readonly unknown[], fallback: T): T {
  const client = useQueryClient();
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => client.getQueryData<T>(key) ?? fallback,
    staleTime: Infinity,
    gcTime: Infinity,
    structuralSharing: false,
  });
  return data ?? fallback;
}

export function useFeed(): FeedSnapshot {
  const connector = useLiveConnector();
  return useCacheValue<FeedSnapshot>(keys.feed, { store: connector.store, version: 0, dropped: 0 });
}

export function useLiveStatus(): LiveStatus {
  return useCacheValue<LiveStatus>(keys.status, 'connecting');
}

export function useLiveRate(): LiveRate {
  return useCacheValue<LiveRate>(keys.rate, { perSecond: 0, received: 0 });
}

export function useLiveStats(): StatsMessage | null {
  return useCacheValue<StatsMessage | null>(keys.stats, null);
}

const NO_MARKS: TriageSnapshot = { marks: new Map(), version: 0 };

/** Triage states of the feed's events that are not `new`. */
export function useTriageMarks(): TriageSnapshot {
  return useCacheValue<TriageSnapshot>(keys.triage, NO_MARKS);
}
