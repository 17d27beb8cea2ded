import { afterEach, describe, expect, it, vi } from 'vitest';
import { LosslessNumber, type SearchResponse } from '@falconer/contracts';
import { eventJson, stubFetch } from '../testing/fixtures';
import { ApiRequestError, apiRequest, apiUrl } from './client';
import { normalizeEvent } from './events';
import { onUnauthorized } from './auth';

afterEach(() => vi.unstubAllGlobals());

describe('API client', () => {
  it('keeps 19-digit numbers exact (reads text, parses losslessly)', async () => {
    const calls = stubFetch({
      '/api/v1/events/search': { text: `{"statistics":{"all":1},"results":[${eventJson()}]}` },
    });
    const res = await apiRequest<SearchResponse>('/events/search', {
      params: { priority: 'Error', limit: 10, rule: undefined },
    });
    const evtTime = normalizeEvent(res.results[0]).output_fields['evt.time'];
    expect(evtTime).toBeInstanceOf(LosslessNumber);
    expect((evtTime as LosslessNumber).text).toBe('1507591916746609046');
    expect(calls[0]?.url).toBe('/api/v1/events/search?priority=Error&limit=10');
    expect(calls[0]?.headers.get('accept')).toBe('application/json');
  });

  it('turns API errors into ApiRequestError with the server message', async () => {
    stubFetch({
      '/api/v1/events/count': {
        status: 400,
        text: '{"error":"bad_request","message":"since: banana is not a duration"}',
      },
    });
    const err = await apiRequest('/events/count', { params: { since: 'banana' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect((err as ApiRequestError).status).toBe(400);
    expect((err as ApiRequestError).message).toBe('since: banana is not a duration');
  });

  it('sends JSON bodies for POSTs', async () => {
    const calls = stubFetch({ '/api/v1/deadletters/replay': { text: '{"replayed":2}' } });
    await expect(
      apiRequest('/deadletters/replay', { method: 'POST', body: { ids: ['a', 'b'] } }),
    ).resolves.toEqual({ replayed: 2 });
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.body).toBe('{"ids":["a","b"]}');
    expect(calls[0]?.headers.get('content-type')).toBe('application/json');
  });

  it('builds same-origin URLs whatever the page base path', () => {
    expect(apiUrl('/events/export', { tags: ['a', 'b'], format: 'csv' })).toBe(
      '/api/v1/events/export?tags=a%2Cb&format=csv',
    );
  });
});

describe('an ended session', () => {
  it('sends the page to the sign-in page on 401', () => {
    const assign = vi.fn();
    onUnauthorized({ assign });
    expect(assign).toHaveBeenCalledWith('/login');
    document.head.insertAdjacentHTML('beforeend', '<meta name="falconer-base" content="/ui">');
    onUnauthorized({ assign });
    expect(assign).toHaveBeenLastCalledWith('/ui/login');
    document.head.querySelector('meta[name="falconer-base"]')?.remove();
  });
});
