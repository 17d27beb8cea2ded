import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';
import type {
  CountByResponse,
  CountResponse,
  DeadLettersResponse,
  EventDetail,
  EventQuery,
  FalcoEvent,
  HistogramResponse,
  OutputInfo,
  OutputsResponse,
  ReplayRequest,
  ReplayResponse,
  SearchResponse,
  TriageMark,
} from '@falconer/contracts';
import { keys } from '../live/keys';
import { apiRequest } from './client';
import { normalizeEvent } from './events';
import { queryKeyPart, queryToParams } from './query';

export const PAGE_SIZE = 100;

/** A search page; `triage` holds the state of each result that is not `new`. */
export interface SearchPage extends SearchResponse {
  triage: ReadonlyMap<string, TriageMark>;
}

export function useEventSearch(q: EventQuery, page: number): UseQueryResult<SearchPage> {
  return useQuery({
    queryKey: keys.search(queryKeyPart(q), page),
    queryFn: async ({ signal }) => {
      const res = await apiRequest<SearchResponse<FalcoEvent & { triage?: TriageMark }>>('/events/search', {
        params: { ...queryToParams(q), page, limit: PAGE_SIZE },
        signal,
      });
      const triage = new Map<string, TriageMark>();
      for (const r of res.results) if (r.triage !== undefined) triage.set(r.uuid, r.triage);
      return { ...res, results: res.results.map(normalizeEvent), triage };
    },
    placeholderData: keepPreviousData,
  });
}

export function useEventDetail(uuid: string | undefined): UseQueryResult<EventDetail> {
  return useQuery({
    queryKey: keys.event(uuid ?? ''),
    queryFn: async ({ signal }) => {
      const res = await apiRequest<EventDetail>(`/events/${encodeURIComponent(uuid ?? '')}`, { signal });
      return {
        ...res,
        event: normalizeEvent(res.event),
        deliveries: res.deliveries ?? [],
        remediations: res.remediations ?? [],
        triage: res.triage ?? { state: 'new' },
        triageHistory: res.triageHistory ?? [],
        attempts: res.attempts ?? [],
      };
    },
    enabled: uuid !== undefined && uuid !== '',
    retry: false,
  });
}

/** Server aggregates live under the `overview` key: the live connector refreshes them while events arrive. */
export function useCount(q: EventQuery): UseQueryResult<CountResponse> {
  return useQuery({
    queryKey: [...keys.overview, 'count', queryKeyPart(q)],
    queryFn: ({ signal }) => apiRequest<CountResponse>('/events/count', { params: queryToParams(q), signal }),
    placeholderData: keepPreviousData,
  });
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

export function useCountBy(groupby: GroupBy, q: EventQuery, enabled = true): UseQueryResult<CountByResponse> {
  return useQuery({
    queryKey: [...keys.overview, 'countby', groupby, queryKeyPart(q)],
    queryFn: ({ signal }) =>
      apiRequest<CountByResponse>(`/events/count/${encodeURIComponent(groupby)}`, {
        params: queryToParams(q),
        signal,
      }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useHistogram(since: string, interval: string): UseQueryResult<HistogramResponse> {
  return useQuery({
    queryKey: [...keys.overview, 'histogram', since, interval],
    queryFn: ({ signal }) =>
      apiRequest<HistogramResponse>('/events/histogram', { params: { since, interval }, signal }),
    placeholderData: keepPreviousData,
  });
}

export interface OutputWithRates extends OutputInfo {
  /** Per second since the previous poll; undefined on the first. */
  rates?: { matched: number; sent: number; failed: number };
}

function failedTotal(o: OutputInfo): number {
  let n = 0;
  for (const v of Object.values(o.counters.failed)) n += v ?? 0;
  return n;
}

let previousOutputs: { at: number; byName: Map<string, OutputInfo> } | undefined;

async function fetchOutputs(signal: AbortSignal): Promise<OutputWithRates[]> {
  const res = await apiRequest<OutputsResponse>('/outputs/status', { signal });
  const at = performance.now();
  const prev = previousOutputs;
  previousOutputs = { at, byName: new Map(res.outputs.map((o) => [o.name, o])) };
  return res.outputs.map((o) => {
    const before = prev?.byName.get(o.name);
    if (prev === undefined || before === undefined) return o;
    const secs = Math.max(0.001, (at - prev.at) / 1000);
    return {
      ...o,
      rates: {
        matched: Math.max(0, (o.counters.matched - before.counters.matched) / secs),
        sent: Math.max(0, (o.counters.sent - before.counters.sent) / secs),
        failed: Math.max(0, (failedTotal(o) - failedTotal(before)) / secs),
      },
    };
  });
}

export function useOutputs(): UseQueryResult<OutputWithRates[]> {
  return useQuery({
    queryKey: keys.outputs,
    queryFn: ({ signal }) => fetchOutputs(signal),
    refetchInterval: 2_000,
  });
}

export function useDeadLetters(output: string | undefined): UseQueryResult<DeadLettersResponse> {
  return useQuery({
    queryKey: [...keys.deadletters, output ?? ''],
    queryFn: async ({ signal }) => {
      const res = await apiRequest<DeadLettersResponse>('/deadletters', {
        params: { output, limit: 200 },
        signal,
      });
      return { ...res, results: res.results.map((d) => ({ ...d, event: normalizeEvent(d.event) })) };
    },
    refetchInterval: 5_000,
  });
}

export function useReplay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (req: ReplayRequest) =>
      apiRequest<ReplayResponse>('/deadletters/replay', { method: 'POST', body: req }),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: keys.deadletters }),
        client.invalidateQueries({ queryKey: keys.outputs }),
      ]),
  });
}
