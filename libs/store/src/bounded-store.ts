import type { EventQuery } from '@falconer/contracts';
import { withDeadline } from '@falconer/util';
import type { EventStore, GroupBy, SearchOptions } from './event-store';
import { QueryError } from './event-query';

/**
 * The history store did not answer a request in time or is unreachable (Redis away): the API answers
 * 503 with this message instead of waiting for it.
 */
export class StoreUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(
      `the history store (Redis) is unreachable: ${cause instanceof Error ? cause.message : String(cause)}; events accepted meanwhile are held by the router and written when it is back — retry later`,
    );
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The store as requests use it: every call answers within `timeoutMs` or fails with StoreUnavailableError,
 * so no request hangs on an unreachable Redis. Query errors (bad parameters) pass through. Writes made
 * for ingest and delivery do not go through here: they have their own bounds (the spool, ADR 0010).
 */
export function boundedStore(store: EventStore, timeoutMs: number): EventStore {
  const bound = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await withDeadline(call(), timeoutMs, 'the history store');
    } catch (err) {
      if (err instanceof QueryError) throw err;
      throw new StoreUnavailableError(err);
    }
  };
  return {
    record: (event) => bound(() => store.record(event)),
    search: (query: EventQuery, options: SearchOptions) => bound(() => store.search(query, options)),
    count: (query) => bound(() => store.count(query)),
    countBy: (groupBy: GroupBy, query) => bound(() => store.countBy(groupBy, query)),
    histogram: (query, intervalMs) => bound(() => store.histogram(query, intervalMs)),
    get: (uuid) => bound(() => store.get(uuid)),
    setDelivery: (uuid, status) => bound(() => store.setDelivery(uuid, status)),
    addRemediation: (record) => bound(() => store.addRemediation(record)),
    export: (query) => ({
      [Symbol.asyncIterator]() {
        const it = store.export(query)[Symbol.asyncIterator]();
        return {
          next: () => bound(() => it.next()),
          return: async () => (await it.return?.()) ?? { done: true, value: undefined },
        };
      },
    }),
    ping: () => bound(() => store.ping()),
    close: () => store.close(),
  };
}
