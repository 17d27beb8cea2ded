import type { DeliveryStatus } from '@falconer/contracts';
import type { QueueEntry } from './queue';

/** Where delivery states of events are recorded (the event store has this method). */
export interface DeliveryStatusSink {
  setDelivery(uuid: string, status: DeliveryStatus): Promise<unknown>;
}

/** Records one output's delivery states with each event; best effort (a failed write is logged). */
export class DeliveryStatusWriter {
  constructor(
    private readonly output: string,
    private readonly sink: DeliveryStatusSink | undefined,
    private readonly log: { debug(obj: object, msg: string): void },
  ) {}

  write(
    entries: readonly QueueEntry[],
    state: DeliveryStatus['state'],
    reason: DeliveryStatus['reason'],
    detail?: string,
  ): void {
    const sink = this.sink;
    if (sink === undefined) return;
    const updatedAt = new Date().toISOString();
    // entries with the same attempt count share one status object: the store keeps it with each event
    let shared: DeliveryStatus | undefined;
    for (const e of entries) {
      if (shared === undefined || shared.attempts !== e.attempts) {
        shared = { output: this.output, state, attempts: e.attempts, updatedAt };
        if (reason !== undefined) shared.reason = reason;
        if (detail !== undefined) shared.detail = detail;
      }
      sink.setDelivery(e.event.uuid, shared).catch(this.notRecorded);
    }
  }

  private readonly notRecorded = (err: unknown): void =>
    this.log.debug({ err: String(err) }, 'delivery status not recorded');
}
