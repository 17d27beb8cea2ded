import { Inject } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'socket.io';
import type { EventQuery, SubscribeAck } from '@falconer/contracts';
import type { FalconerConfig } from '@falconer/config';
import { CONFIG, REQUEST_GATE } from '../core/tokens';
import type { RequestGate } from '../auth/request-gate';
import { LiveHub, type LiveSocket } from './live.hub';
import { LIVE_PATH } from './live-path';

/** socket.io on `/socket.io`, default namespace: `subscribe` with a query, then `event` pushes. */
@WebSocketGateway({ path: LIVE_PATH, serveClient: false })
export class LiveGateway implements OnGatewayInit, OnGatewayDisconnect {
  constructor(
    @Inject(LiveHub) private readonly hub: LiveHub,
    @Inject(REQUEST_GATE) private readonly gate: RequestGate,
    @Inject(CONFIG) private readonly config: FalconerConfig,
  ) {}

  /**
   * Every handshake passes the request gate (same origin, a dashboard user) and the connection cap;
   * engine.io answers a refused one with 403 and the reason, before any socket exists.
   */
  afterInit(server: Server): void {
    const max = this.config.live.maxconnections;
    server.engine.opts.allowRequest = (req: IncomingMessage, callback) => {
      if (server.engine.clientsCount >= max) {
        callback(`too many live connections (live.maxconnections: ${max})`, false);
        return;
      }
      this.gate.socket(req).then(
        (refused) => callback(refused?.body.message ?? null, refused === undefined),
        () => callback('handshake check failed', false),
      );
    };
  }

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
