import { Inject } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import type { EventQuery, SubscribeAck } from '@falconer/contracts';
import { LiveHub, type LiveSocket } from './live.hub';

/** socket.io on `/socket.io`, default namespace: `subscribe` with a query, then `event` pushes. */
@WebSocketGateway({ path: '/socket.io', serveClient: false })
export class LiveGateway implements OnGatewayDisconnect {
  constructor(@Inject(LiveHub) private readonly hub: LiveHub) {}

  @SubscribeMessage('subscribe')
  subscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() query: EventQuery | undefined,
  ): SubscribeAck {
    try {
      this.hub.subscribe(socket, query ?? {});
      return { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : 'invalid subscription' };
    }
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() socket: LiveSocket): SubscribeAck {
    this.hub.unsubscribe(socket);
    return { ok: true };
  }

  handleDisconnect(socket: LiveSocket): void {
    this.hub.unsubscribe(socket);
  }
}
