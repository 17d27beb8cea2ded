import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a shared server (RabbitMQ on 5672…): `stop()` drops every proxied
 * connection and refuses new ones, `start()` listens again on the same port — the server going away and
 * coming back as a client sees it, without stopping the machine's shared instance. Counts connections.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Client connections accepted since creation. */
  accepted = 0;

  /** The proxy's port (fixed once it first listens). */
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  /** Listens on a free port (or `port`) and forwards to `target`. */
  static async open(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const p = new TcpProxy(target);
    p.port = await p.listen(port);
    return p;
  }

  /** Connections open right now. */
  get open(): number {
    return this.sockets.size / 2;
  }

  private listen(port: number): Promise<number> {
    const server = createServer((client) => {
      this.accepted++;
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const a = server.address();
        resolve(typeof a === 'object' && a !== null ? a.port : port);
      });
    });
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  async start(): Promise<void> {
    if (this.server === undefined) await this.listen(this.port);
  }
}
