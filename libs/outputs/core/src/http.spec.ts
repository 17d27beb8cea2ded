import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { makeTestPki, type TestPki } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSender, loadTls, mergeHeaders, proxyConfigured } from './http';
import { secretVariants } from './redact';

/**
 * output-core may not depend on the testing lib (module boundaries), so this spec has its own small
 * recording server; the output specs use the shared Receiver.
 */
interface Rec {
  method: string;
  headers: IncomingHttpHeaders;
  text: string;
}
type Reply = { status: number; headers?: Record<string, string>; body?: string; hang?: boolean };
class Receiver {
  readonly requests: Rec[] = [];
  private reply: (req: Rec) => Reply = () => ({ status: 200 });
  private constructor(private readonly server: ReturnType<typeof createHttpServer>) {}
  static async start(): Promise<Receiver> {
    const server = createHttpServer();
    const rx = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rec = {
          method: req.method ?? '',
          headers: req.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        };
        rx.requests.push(rec);
        const r = rx.reply(rec);
        if (r.hang) return;
        res.writeHead(r.status, r.headers);
        res.end(r.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return rx;
  }
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  respond(fn: (req: Rec) => Reply): void {
    this.reply = fn;
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('HttpSender against a real local receiver', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await Receiver.start();
  });
  afterAll(() => rx.close());

  it('sends the default headers, lets customheaders override them', async () => {
    rx.respond(() => ({ status: 200 }));
    const s = new HttpSender({
      checkcert: true,
      mutualtls: false,
      secrets: [],
      customHeaders: { 'user-agent': 'Custom/1', 'X-Team': 'sec' },
    });
    const res = await s.send(
      { method: 'POST', url: `${rx.url}/x`, body: '{}' },
      new AbortController().signal,
    );
    expect(res.ok).toBe(true);
    const req = rx.requests.at(-1)!;
    expect(req.headers['user-agent']).toBe('Custom/1');
    expect(req.headers['x-team']).toBe('sec');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    s.close();
  });

  it('sends string bodies byte for byte (no trimming of JSON text)', async () => {
    rx.respond(() => ({ status: 200 }));
    const s = new HttpSender({ checkcert: true, mutualtls: false, secrets: [] });
    await s.send({ method: 'POST', url: rx.url, body: ' {"a":1}\n' }, new AbortController().signal);
    expect(rx.requests.at(-1)!.text).toBe(' {"a":1}\n');
    s.close();
  });

  it('defaults User-Agent to Falconer/<version>', async () => {
    const s = new HttpSender({ checkcert: true, mutualtls: false, secrets: [], userAgent: 'Falconer/9.9.9' });
    await s.send({ method: 'PUT', url: `${rx.url}/y`, body: 'b' }, new AbortController().signal);
    expect(rx.requests.at(-1)!.headers['user-agent']).toBe('Falconer/9.9.9');
    expect(rx.requests.at(-1)!.method).toBe('PUT');
    s.close();
  });

  it('classifies 429 with Retry-After and keeps secrets out of the detail', async () => {
    const secret = 'T000/B000/XXXXSECRETXXXX';
    rx.respond((req) => ({
      status: 429,
      headers: { 'retry-after': '5' },
      body: `echo ${req.text} ${secret}`,
    }));
    const s = new HttpSender({
      checkcert: true,
      mutualtls: false,
      secrets: secretVariants([secret, `/services/${secret}`]),
    });
    const res = await s.send(
      { method: 'POST', url: `${rx.url}/services/${secret}?token=${secret}` },
      new AbortController().signal,
    );
    expect(res).toMatchObject({ ok: false, retryable: true, reason: 'rate_limited', retryAfterMs: 5000 });
    expect(JSON.stringify(res)).not.toContain('SECRET');
    s.close();
  });

  it('reports a refused connection as network, retryable', async () => {
    const closed = await Receiver.start();
    const url = closed.url;
    await closed.close();
    const s = new HttpSender({ checkcert: true, mutualtls: false, secrets: [] });
    const res = await s.send({ method: 'POST', url: `${url}/x` }, new AbortController().signal);
    expect(res).toMatchObject({ ok: false, retryable: true, reason: 'network' });
    s.close();
  });

  it('stops a hanging request when the signal fires, as a timeout', async () => {
    rx.respond(() => ({ status: 200, hang: true }));
    const s = new HttpSender({ checkcert: true, mutualtls: false, secrets: [] });
    const t0 = Date.now();
    const res = await s.send({ method: 'POST', url: `${rx.url}/hang` }, AbortSignal.timeout(200));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(res).toMatchObject({ ok: false, retryable: true, reason: 'timeout' });
    expect(res.ok ? '' : res.detail).toContain('timed out');
    s.close();
  });

  it('does not send at all with an already aborted signal', async () => {
    const before = rx.requests.length;
    const s = new HttpSender({ checkcert: true, mutualtls: false, secrets: [] });
    const ac = new AbortController();
    ac.abort();
    const res = await s.send({ method: 'POST', url: `${rx.url}/never` }, ac.signal);
    expect(res.ok).toBe(false);
    expect(rx.requests.length).toBe(before);
    s.close();
  });

  it('goes through HTTP_PROXY when it is set (read when the output starts), directly otherwise', async () => {
    rx.respond(() => ({ status: 200 }));
    const before = rx.requests.length;
    const saved = { HTTP_PROXY: process.env['HTTP_PROXY'], NO_PROXY: process.env['NO_PROXY'] };
    process.env['HTTP_PROXY'] = rx.url;
    delete process.env['NO_PROXY'];
    try {
      expect(proxyConfigured()).toBe(true);
      const viaProxy = new HttpSender({ checkcert: true, mutualtls: false, secrets: [] });
      const r = await viaProxy.send(
        { method: 'POST', url: 'http://alerts.example.invalid/hook', body: 'x' },
        new AbortController().signal,
      );
      expect(r.ok).toBe(true);
      // a proxy receives the absolute URL
      expect(rx.requests[before]?.headers.host).toBe('alerts.example.invalid');
      viaProxy.close();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(proxyConfigured({ PATH: '/bin', https_proxy: '' })).toBe(false);
    expect(proxyConfigured({ npm_config_https_proxy: 'http://p:3128' })).toBe(true);
  });

  it('merges headers case-insensitively, last wins', () => {
    expect(mergeHeaders({ 'Content-Type': 'a', X: '1' }, { 'content-type': 'b' })).toEqual({
      X: '1',
      'content-type': 'b',
    });
  });
});

describe('TLS: checkcert, extra CA and mutual TLS', () => {
  let pki: TestPki;
  let dir: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    pki = makeTestPki();
    dir = pki.dir;
    server = createServer(
      {
        key: readFileSync(join(dir, 'srv.key')),
        cert: readFileSync(join(dir, 'srv.pem')),
        ca: readFileSync(join(dir, 'ca.pem')),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        const sock = req.socket as TLSSocket;
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(sock.authorized ? `client:${String(sock.getPeerCertificate().subject.CN)}` : 'anonymous');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    pki.remove();
  });

  it('refuses an unknown CA when checkcert is on, as a network failure', async () => {
    const s = new HttpSender({ checkcert: true, mutualtls: false, secrets: [] });
    const res = await s.send({ method: 'GET', url }, new AbortController().signal);
    expect(res).toMatchObject({ ok: false, reason: 'network' });
    s.close();
  });

  it('accepts it with checkcert false', async () => {
    const s = new HttpSender({ checkcert: false, mutualtls: false, secrets: [] });
    const res = await s.send({ method: 'GET', url }, new AbortController().signal);
    expect(res.ok && res.response.body).toBe('anonymous');
    s.close();
  });

  it('trusts tlsclient.cacertfile and presents the mutual TLS client certificate', async () => {
    const tls = {
      cacertfile: join(dir, 'ca.pem'),
      mutualtls: { certfile: join(dir, 'cli.pem'), keyfile: join(dir, 'cli.key') },
    };
    const plain = new HttpSender({ checkcert: true, mutualtls: false, tls, secrets: [] });
    const r1 = await plain.send({ method: 'GET', url }, new AbortController().signal);
    expect(r1.ok && r1.response.body).toBe('anonymous');
    plain.close();
    const mtls = new HttpSender({ checkcert: true, mutualtls: true, tls, secrets: [] });
    const r2 = await mtls.send({ method: 'GET', url }, new AbortController().signal);
    expect(r2.ok && r2.response.body).toBe('client:falconer');
    mtls.close();
  });

  it('reports unreadable TLS files as configuration errors', () => {
    const { errors } = loadTls({ cacertfile: '/nonexistent/ca.pem' }, true);
    expect(errors).toEqual([
      'tlsclient.cacertfile: cannot read /nonexistent/ca.pem (ENOENT)',
      'mutualtls: needs mutualtlsclient.certfile and mutualtlsclient.keyfile',
    ]);
  });
});
