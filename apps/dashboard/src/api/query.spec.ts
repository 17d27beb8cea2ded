import { describe, expect, it } from 'vitest';
import { queryFromSearch, queryKeyPart, queryToParams, withQuery } from './query';

describe('filters in the URL', () => {
  it('reads API-named parameters, comma lists as OR', () => {
    const q = queryFromSearch(
      new URLSearchParams('priority=Critical,Error&namespace=shop&filter=%20bash%20&since=1h&page=2&event=x'),
    );
    expect(q).toEqual({ priority: ['Critical', 'Error'], namespace: ['shop'], filter: 'bash', since: '1h' });
  });

  it('writes the filter back, keeping unrelated parameters and resetting the page', () => {
    const next = withQuery(new URLSearchParams('event=abc&page=3&rule=old'), {
      hostname: ['a', 'b'],
      from: '2026-11-22T00:00:00.000Z',
    });
    expect(next.get('event')).toBe('abc');
    expect(next.get('page')).toBeNull();
    expect(next.get('rule')).toBeNull();
    expect(next.get('hostname')).toBe('a,b');
    expect(queryFromSearch(next)).toEqual({ hostname: ['a', 'b'], from: '2026-11-22T00:00:00.000Z' });
  });

  it('drops empty values and gives a stable key', () => {
    expect(queryToParams({ priority: [], filter: '', tags: ['x'] })).toEqual({ tags: 'x' });
    expect(queryKeyPart({ tags: ['x'], priority: ['Alert'] })).toBe(
      queryKeyPart({ priority: ['Alert'], tags: ['x'] }),
    );
  });
});
