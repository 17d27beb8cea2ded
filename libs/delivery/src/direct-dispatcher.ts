import type { FalcoEvent } from '@falconer/contracts';
import type { Output } from '@falconer/outputs-core';
import type { Dispatcher } from './dispatcher';

export interface DirectDispatcherLog {
  warn(obj: object, msg: string): void;
}

/**
 * The minimal path from ingest to outputs: one send per event, no queue, no retry. Kept only until the
 * queued dispatcher replaces it; useful in tests of outputs wiring.
 */
export class DirectDispatcher implements Dispatcher {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly outputs: ReadonlyMap<string, Output>,
    private readonly log: DirectDispatcherLog,
    private readonly timeoutMs = 10_000,
  ) {}

  enqueue(event: FalcoEvent, names: readonly string[]): Promise<void> {
    for (const name of names) {
      const output = this.outputs.get(name);
      if (output === undefined) continue;
      const p = output
        .send([event], AbortSignal.timeout(this.timeoutMs))
        .then((r) => {
          if (!r.ok) this.log.warn({ output: name, uuid: event.uuid, reason: r.reason, detail: r.detail }, 'send failed');
        })
        .catch((err: unknown) => this.log.warn({ output: name, err: String(err) }, 'send threw'))
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
    return Promise.resolve();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  async stop(): Promise<{ unsent: number }> {
    await Promise.allSettled([...this.inFlight]);
    return { unsent: 0 };
  }
}
