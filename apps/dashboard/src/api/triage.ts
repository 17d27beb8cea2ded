import { useMutation, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type {
  BulkTriageRequest,
  BulkTriageResponse,
  TriageMark,
  TriageState,
  WhoAmIResponse,
} from '@falconer/contracts';
import { useLiveConnector } from '../live/LiveContext';
import { keys } from '../live/keys';
import { apiRequest } from './client';

/** Who is signed in; the page shows operator actions only to operators (the API refuses viewers anyway). */
export function useWhoAmI(): UseQueryResult<WhoAmIResponse> {
  return useQuery({
    queryKey: keys.whoami,
    queryFn: ({ signal }) => apiRequest<WhoAmIResponse>('/whoami', { signal }),
    staleTime: 60_000,
  });
}

export function useIsOperator(): boolean {
  return useWhoAmI().data?.role === 'operator';
}

/** Sets one event's triage state; the page follows at once, other pages through the live channel. */
export function useSetTriage() {
  const connector = useLiveConnector();
  return useMutation({
    mutationFn: ({ uuid, state }: { uuid: string; state: TriageState }) =>
      apiRequest<{ uuid: string; changed: boolean; triage: TriageMark }>(
        `/events/${encodeURIComponent(uuid)}/triage`,
        { method: 'PATCH', body: { state } },
      ),
    onSuccess: (res) => connector.applyTriage({ uuids: [res.uuid], triage: res.triage }),
  });
}

/** Sets the state of every event of a query (or listed uuids); the live channel brings the changes. */
export function useBulkTriage() {
  const connector = useLiveConnector();
  return useMutation({
    mutationFn: (req: BulkTriageRequest) =>
      apiRequest<BulkTriageResponse>('/events/triage', { method: 'POST', body: req }),
    onSuccess: (_res, req) => connector.applyTriage({ uuids: req.uuids ?? [], triage: { state: req.state } }),
  });
}

export const TRIAGE_LABEL: Record<TriageState, string> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};
