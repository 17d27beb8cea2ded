import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import type { FalcoEvent } from '@falconer/contracts';
import {
  untilAborted,
  type BatchPolicy,
  type Output,
  type SendFailure,
  type SendResult,
} from '@falconer/outputs-core';
import { syslogLine, type SyslogLine } from './syslog.format';

export interface SyslogConfig extends Omit<SyslogLine, 'now'> {
  host: string;
  port: number;
  protocol: 'tcp' | 'udp';
  now: () => number;
}

const failure = (err: unknown, what: string): SendFailure => {
  const e = err as NodeJS.ErrnoException;
  return {
    ok: false,
    retryable: true,
    reason: e?.code === 'ETIMEDOUT' ? 'timeout' : 'network',
    detail: `syslog ${what}: ${e?.code ?? ''} ${e?.message ?? String(err)}`.trim(),
  };
};

/**
 * Writes each event as the line Go's log/syslog writes, over one TCP connection (or one UDP socket) kept
 * for the output's lifetime: re-opened on the next send after it fails or the server closes it.
 * Over TCP a batch is one write of several lines; over UDP each line is one datagram.
 */
export class SyslogOutput implements Output {
  readonly batch?: BatchPolicy;
  private tcp: Promise<Socket> | undefined;
  private udp: UdpSocket | undefined;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly config: SyslogConfig,
  ) {
    if (config.protocol === 'tcp') this.batch = { maxEvents: 200, flushIntervalMs: 50 };
  }

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    const lines = batch.map((e) => syslogLine(e, { ...this.config, now: this.config.now() }));
    const work = this.config.protocol === 'tcp' ? this.writeTcp(lines.join('')) : this.sendUdp(lines);
    return untilAborted(work, signal, `syslog ${this.config.protocol} send`);
  }

  private connection(): Promise<Socket> {
    this.tcp ??= new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: this.config.host, port: this.config.port });
      s.setKeepAlive(true);
      s.setNoDelay(true);
      const drop = (): void => {
        if (this.tcp === current) this.tcp = undefined;
        s.destroy();
      };
      s.once('connect', () => resolve(s));
      s.on('error', (err) => {
        drop();
        reject(err);
      });
      s.on('close', drop);
      // a syslog server never answers: anything it sends is ignored
      s.on('data', () => undefined);
    });
    const current = this.tcp;
    return current;
  }

  private async writeTcp(data: string): Promise<SendResult> {
    let socket: Socket;
    try {
      socket = await this.connection();
    } catch (err) {
      return failure(err, `connect ${this.config.host}:${this.config.port}`);
    }
    return new Promise<SendResult>((resolve) => {
      socket.write(data, (err) => resolve(err ? failure(err, 'write') : { ok: true }));
    });
  }

  private async sendUdp(lines: readonly string[]): Promise<SendResult> {
    if (!this.udp) {
      this.udp = createSocket(this.config.host.includes(':') ? 'udp6' : 'udp4');
      // ICMP port unreachable surfaces here; the next datagram is sent all the same
      this.udp.on('error', () => undefined);
    }
    const udp = this.udp;
    for (const line of lines) {
      const err = await new Promise<Error | null>((resolve) =>
        udp.send(line, this.config.port, this.config.host, (e) => resolve(e)),
      );
      if (err) return failure(err, 'send');
    }
    return { ok: true };
  }

  async close(): Promise<void> {
    const tcp = this.tcp;
    this.tcp = undefined;
    if (tcp) {
      const s = await tcp.catch(() => undefined);
      if (s) await new Promise<void>((resolve) => s.end(resolve));
    }
    this.udp?.close();
    this.udp = undefined;
  }
}
