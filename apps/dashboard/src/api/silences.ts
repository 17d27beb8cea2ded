import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import type {
  CreateSilenceRequest,
  CreateSilenceResponse,
  SilenceInfo,
  SilencesResponse,
} from '@falconer/contracts';
import { apiRequest } from './client';

export const silenceKeys = { list: ['silences'] as const };

export function useSilences(): UseQueryResult<SilenceInfo[]> {
  return useQuery({
    queryKey: silenceKeys.list,
    queryFn: async ({ signal }) => (await apiRequest<SilencesResponse>('/silences', { signal })).silences,
    // expiry is a matter of time: the list follows it (and other operators' changes)
    refetchInterval: 5_000,
  });
}

export function useCreateSilence() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSilenceRequest) =>
      apiRequest<CreateSilenceResponse>('/silences', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: silenceKeys.list }),
  });
}

export function useExpireSilence() {
  const client = useQueryClient();
  return useMutation({
    // the router takes state changes as JSON only (SECURITY.md): an empty object as the body
    mutationFn: (id: string) =>
      apiRequest<SilenceInfo>(`/silences/${encodeURIComponent(id)}`, { method: 'DELETE', body: {} }),
    onSuccess: () => client.invalidateQueries({ queryKey: silenceKeys.list }),
  });
}
