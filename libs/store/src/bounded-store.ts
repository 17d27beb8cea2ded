import type { EventQuery, FalcoEvent } from '@falconer/contracts';
import { withDeadline } from '@falconer/util';
import type { EventStore } from './event-store';
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
 * for ingest and delivery do not go through here: they have their own bounds (the spool, ADR 0013).
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
  const exportBounded = (query: EventQuery): AsyncIterable<FalcoEvent> => ({
    [Symbol.asyncIterator]() {
      const it = store.export(query)[Symbol.asyncIterator]();
      return {
        next: () => bound(() => it.next()),
        return: async () => (await it.return?.()) ?? { done: true, value: undefined },
      };
    },
  });
  // every method that answers a request is bounded, whatever methods the interface gains
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'export') return exportBounded;
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop === 'close' || typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => bound(() => method.apply(target, args));
    },
  });
}
