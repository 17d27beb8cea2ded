import type { ServerToClientEvents } from '@falconer/contracts';
import type { LiveSocket } from '../live/connector';

type Handler = (...args: unknown[]) => void;

/**
 * Stands in for the socket.io client in component tests: records what the page sends and lets the test
 * push server events. (The e2e suite drives the real socket.io server.)
 */
export class FakeSocket {
  connected = false;
  readonly sent: { event: string; args: unknown[] }[] = [];
  private readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  off(): this {
    this.handlers.clear();
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    this.sent.push({ event, args });
    const ack = args[args.length - 1];
    if (event === 'subscribe' && typeof ack === 'function')
      (ack as (r: { ok: boolean }) => void)({ ok: true });
    return this;
  }

  connect(): this {
    this.connected = true;
    this.fire('connect');
    return this;
  }

  disconnect(): this {
    this.connected = false;
    this.fire('disconnect');
    return this;
  }

  /** The server emits `event` to this client. */
  push<K extends keyof ServerToClientEvents>(event: K, ...args: Parameters<ServerToClientEvents[K]>): void {
    this.fire(event, ...args);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }

  asSocket(): LiveSocket {
    return this as unknown as LiveSocket;
  }
}
