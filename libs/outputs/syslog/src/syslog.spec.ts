import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOutput, type Output } from '@falconer/outputs-core';
import { SAMPLE_EVENT_JSON, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { canConnect, serviceAvailable } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syslogOutput } from './syslog.descriptor';
import { formatCef, localRfc3339 } from './syslog.format';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const hasRsyslog = await serviceAvailable('rsyslog (Debian package rsyslog)', () => existsSync(RSYSLOGD));
const signal = (): AbortSignal => new AbortController().signal;
const NOW = Date.parse('2026-11-30T02:45:01Z');

/** falcosidekick's CEF (outputs/syslog.go) for sampleEvent(). */
const SAMPLE_CEF =
  'CEF:0|Falcosecurity|Falco|1.0|Falco Event|Write below binary dir|7|uuid=a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b start=2019-05-17T15:31:56Z msg=16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack) source=syscall hostname=falco-node-1 outputfields=evt.time:1507591916746609046 fd.name:/bin/hack proc.cmdline:touch /bin/hack user.name:root tags=filesystem,mitre_persistence';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Debian's rsyslogd with its own config: TCP and UDP inputs on loopback, every message raw into a file. */
class Rsyslog {
  private proc: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'falconer-rsyslog-'));
  readonly file = join(this.dir, 'out.log');
  tcpPort = 0;
  udpPort = 0;

  async start(): Promise<void> {
    if (this.tcpPort === 0) [this.tcpPort, this.udpPort] = [await freePort(), await freePort()];
    const conf = join(this.dir, 'rsyslog.conf');
    writeFileSync(
      conf,
      [
        `global(workDirectory="${this.dir}")`,
        'module(load="imtcp")',
        'module(load="imudp")',
        `input(type="imtcp" port="${this.tcpPort}" address="127.0.0.1")`,
        `input(type="imudp" port="${this.udpPort}" address="127.0.0.1")`,
        'template(name="raw" type="string" string="%rawmsg%\\n")',
        `*.* action(type="omfile" file="${this.file}" template="raw")`,
        '',
      ].join('\n'),
    );
    this.proc = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', join(this.dir, 'pid')], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await canConnect(this.tcpPort)); i++)
      await new Promise((r) => setTimeout(r, 100));
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  }

  /** The file's lines once it has at least n (rsyslog writes asynchronously). */
  async lines(n: number): Promise<string[]> {
    for (let i = 0; i < 200; i++) {
      const text = existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
      const lines = text.split('\n').filter((l) => l !== '');
      if (lines.length >= n) return lines;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`rsyslog wrote fewer than ${n} lines to ${this.file}`);
  }
}

describe('syslog format (outputs/syslog.go)', () => {
  it("builds falcosidekick's CEF", () => {
    expect(formatCef(sampleEvent())).toBe(SAMPLE_CEF);
    expect(formatCef(sampleEvent({ tags: [], hostname: '' }))).toBe(
      SAMPLE_CEF.replace(' hostname=falco-node-1', '').replace(' tags=filesystem,mitre_persistence', ''),
    );
  });
});

describe.skipIf(!hasRsyslog)('syslog against rsyslog on loopback', () => {
  const rs = new Rsyslog();
  const outputs: Output[] = [];
  const make = (settings: Record<string, unknown>): Output => {
    const { output, errors } = createOutput(
      syslogOutput,
      { name: 'syslog', type: 'syslog', path: 'syslog', settings: { host: '127.0.0.1', ...settings } },
      { now: () => NOW },
    );
    expect(errors).toEqual([]);
    outputs.push(output);
    return output;
  };
  const prefix = (sev: number): string =>
    `<${sev}>${localRfc3339(NOW)} ${hostname()} Falco[${process.pid}]: `;

  beforeAll(() => rs.start());
  afterAll(async () => {
    for (const o of outputs) await o.close?.();
    await rs.stop();
    rmSync(rs.dir, { recursive: true, force: true });
  });

  it("delivers the JSON line Go's log/syslog writes, over TCP and UDP; CEF too", async () => {
    const tcp = make({ port: rs.tcpPort, protocol: 'tcp' });
    const udp = make({ port: rs.udpPort, protocol: 'udp', format: 'cef' });
    expect(await tcp.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(await rs.lines(1)).toEqual([prefix(3) + SAMPLE_EVENT_JSON]);
    expect(await udp.send([sampleEvent({ priority: 'Warning' })], signal())).toEqual({ ok: true });
    const lines = await rs.lines(2);
    expect(lines[1]).toBe(prefix(4) + SAMPLE_CEF.replace('|7|', '|6|'));
  });

  it('keeps one TCP connection for a batch and many sends, and reconnects after rsyslog restarts', async () => {
    const tcp = make({ port: rs.tcpPort, protocol: 'tcp' });
    const before = (await rs.lines(0)).length;
    expect(tcp.batch).toEqual({ maxEvents: 200, flushIntervalMs: 50 });
    const batch = Array.from({ length: 50 }, (_, i) => secondEvent({ rule: `r${i}` }));
    expect(await tcp.send(batch, signal())).toEqual({ ok: true });
    for (let i = 0; i < 10; i++)
      expect(await tcp.send([secondEvent({ rule: `s${i}` })], signal())).toEqual({ ok: true });
    const lines = (await rs.lines(before + 60)).slice(before);
    expect(lines.map((l) => (JSON.parse(l.slice(l.indexOf(': ') + 2)) as { rule: string }).rule)).toEqual([
      ...batch.map((e) => e.rule),
      ...Array.from({ length: 10 }, (_, i) => `s${i}`),
    ]);
    expect(lines.every((l) => l.startsWith(prefix(5)))).toBe(true);

    await rs.stop();
    // once the closed connection is noticed, a send while rsyslog is down fails retryably (refused)
    const down = await tcp.send([secondEvent({ rule: 'while-down' })], signal());
    if (!down.ok) expect(down).toMatchObject({ retryable: true, reason: 'network' });
    await rs.start();
    expect(await tcp.send([secondEvent({ rule: 'after-restart' })], signal())).toEqual({ ok: true });
    const after = await rs.lines(before + 61);
    expect(after.at(-1)).toContain('"rule":"after-restart"');
  });
});
