import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import SASL from 'smtp-server/lib/sasl.js';
import { createOutput, type Output } from '@falconer/outputs-core';
import { sampleEvent } from '@falconer/outputs-testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smtpOutput } from './smtp.descriptor';

const signal = (): AbortSignal => new AbortController().signal;

interface Received {
  from: string;
  to: string[];
  data: string;
  user: string | undefined;
}

/** What arrives at a real SMTP server (the smtp-server package), including the SASL exchange. */
class MailServer {
  readonly mails: Received[] = [];
  readonly auths: { method: string; response: string }[] = [];
  connections = 0;
  /** SMTP reply to DATA: undefined = accept. */
  reject: { code: number; message: string } | undefined;
  private server!: SMTPServer;

  async start(): Promise<number> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'OAUTHBEARER', 'EXTERNAL', 'ANONYMOUS'],
      logger: false,
      closeTimeout: 200,
      onConnect: (_s, cb) => {
        this.connections++;
        cb();
      },
      onAuth: (auth, _s, cb) => {
        this.auths.push({ method: 'PLAIN', response: `${auth.username}:${auth.password ?? ''}` });
        if (auth.password === 'good-pass') cb(null, { user: auth.username });
        else cb(new Error('Invalid username or password'));
      },
      onData: (stream, session: SMTPServerSession, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.reject) {
            const err = Object.assign(new Error(this.reject.message), { responseCode: this.reject.code });
            return cb(err);
          }
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
            user: session.user as string | undefined,
          });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// smtp-server has no OAUTHBEARER, EXTERNAL or ANONYMOUS: record the one-step exchange as a server would see it
for (const method of ['OAUTHBEARER', 'EXTERNAL', 'ANONYMOUS']) {
  (SASL as unknown as Record<string, unknown>)[`SASL_${method}`] = function (
    this: { send(code: number, msg: string): void; session: { user?: string }; _server: { auths?: unknown } },
    args: string[],
    callback: () => void,
  ) {
    const response = args[0] === '=' ? '' : Buffer.from(args[0] ?? '', 'base64').toString('utf8');
    recorder?.auths.push({ method, response });
    this.session.user = method.toLowerCase();
    this.send(235, 'Authentication successful');
    callback();
  };
}
let recorder: MailServer | undefined;

/** falcosidekick's outputs/smtp.go message for sampleEvent() (headers and text part), CRLF on the wire. */
const HEAD =
  'Subject: [Error] 16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)\r\n' +
  'From: falco@example.com\r\n' +
  'To: soc@example.com, oncall@example.com\r\n' +
  'Date: Fri, 17 May 2019 15:31:56 +0000\r\n' +
  'MIME-version: 1.0\r\n';
const TEXT =
  'Content-Type: text/plain; charset="UTF-8"\r\n\r\n' +
  'Priority: Error\r\n' +
  'Output: 16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)\r\n' +
  'Rule: Write below binary dir\r\n' +
  'Source: syscall\r\n' +
  'Hostname: falco-node-1\r\n' +
  'Tags: filesystem mitre_persistence \r\n' +
  'Time: 2019-05-17 15:31:56.746609046 +0000 UTC\r\n\r\n' +
  '--Fields--\r\n' +
  'evt.time: 1507591916746609046\r\n' +
  'fd.name: /bin/hack\r\n' +
  'proc.cmdline: touch /bin/hack\r\n' +
  'user.name: root\r\n\r\n\r\n';

describe('smtp (outputs/smtp.go) against a real SMTP server (smtp-server)', () => {
  const server = new MailServer();
  let port = 0;
  const make = (settings: Record<string, unknown>): Output => {
    const { output, errors } = createOutput(smtpOutput, {
      name: 'smtp',
      type: 'smtp',
      path: 'smtp',
      settings: {
        hostport: `127.0.0.1:${port}`,
        tls: false,
        from: 'falco@example.com',
        to: 'soc@example.com, oncall@example.com',
        ...settings,
      },
    });
    expect(errors).toEqual([]);
    return output;
  };

  beforeAll(async () => {
    recorder = server;
    port = await server.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.mails.length = 0;
    server.auths.length = 0;
    server.reject = undefined;
  });

  it("sends falcosidekick's text message (outputformat: text) with PLAIN auth", async () => {
    const out = make({ outputformat: 'text', user: 'falco', password: 'good-pass' });
    expect(await out.send([sampleEvent()], signal())).toEqual({ ok: true });
    const [mail] = server.mails;
    expect(mail).toEqual({
      from: 'falco@example.com',
      to: ['soc@example.com', 'oncall@example.com'],
      data: HEAD + TEXT,
      user: 'falco',
    });
    expect(server.auths).toEqual([{ method: 'PLAIN', response: 'falco:good-pass' }]);
    await out.close?.();
  });

  it("sends falcosidekick's multipart message (outputformat: html) with its html part", async () => {
    const out = make({ authmechanism: 'none' });
    expect(await out.send([sampleEvent()], signal())).toEqual({ ok: true });
    const data = server.mails[0]!.data;
    const multipart =
      'Content-Type: multipart/alternative; boundary=4t74weu9byeSdJTM\r\n\r\n\r\n--4t74weu9byeSdJTM\r\n';
    const htmlHead =
      '--4t74weu9byeSdJTM\r\nContent-Type: text/html; charset="UTF-8";\r\n\r\n' + '\r\n'.repeat(12);
    expect(
      data.startsWith(
        HEAD +
          multipart +
          TEXT +
          htmlHead +
          '<meta http-equiv="Content-Type" content="text/html; charset=us-ascii">\r\n',
      ),
    ).toBe(true);
    expect(data).toContain(
      '<td style="background-color:#ffc700; width:700px; text-align:center;"><span style="font-size:12px; color:#fff;"><strong>Error</strong></span></td>',
    );
    expect(data).toContain('<td style="background-color:#d1d6da">filesystem mitre_persistence </td>');
    // html/template escapes '+'
    expect(data).toContain(
      '<td style="background-color:#d1d6da">2019-05-17 15:31:56.746609046 &#43;0000 UTC</td>',
    );
    expect(data).toContain(
      '<td width="1" style="background-color:#858585"><span style="font-size:14px; color:#fff;"><strong>evt.time</strong></span></td>\r\n            <td style="background-color:#d1d6da">1507591916746609046</td>',
    );
    // the message ends without a newline: the SMTP client adds CRLF before the final dot, as Go's does
    expect(data).toMatch(/<\/tbody>\r\n<\/table>\r\n\r\n--4t74weu9byeSdJTM--\r\n$/);
    await out.close?.();
  });

  it('escapes html in the html part as html/template does', async () => {
    const out = make({ authmechanism: 'none' });
    await out.send([sampleEvent({ output: `a <b> & "c" 'd' +e` })], signal());
    const data = server.mails[0]!.data;
    expect(data).toContain('Output: a <b> & "c" \'d\' +e\r\n');
    expect(data).toContain(
      '<td style="background-color:#d1d6da">a &lt;b&gt; &amp; &#34;c&#34; &#39;d&#39; &#43;e</td>',
    );
    await out.close?.();
  });

  it.each([
    [
      'oauthbearer',
      { user: 'falco', token: 'tok-123' },
      'OAUTHBEARER',
      'n,a=falco,\x01host=127.0.0.1\x01port=PORT\x01auth=Bearer tok-123\x01\x01',
    ],
    ['external', { identity: 'falco-id' }, 'EXTERNAL', 'falco-id'],
    ['anonymous', { trace: 'falconer-trace' }, 'ANONYMOUS', 'falconer-trace'],
    ['anonymous', {}, 'ANONYMOUS', ''],
  ] as const)('authenticates with %s as go-sasl does', async (mech, creds, method, response) => {
    const out = make({ authmechanism: mech, ...creds });
    expect(await out.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(server.auths).toEqual([{ method, response: response.replace('PORT', String(port)) }]);
    expect(server.mails[0]!.user).toBe(method.toLowerCase());
    await out.close?.();
  });

  it('keeps one connection for many mails', async () => {
    const before = server.connections;
    const out = make({ authmechanism: 'none' });
    for (let i = 0; i < 10; i++) expect(await out.send([sampleEvent()], signal())).toEqual({ ok: true });
    expect(server.connections - before).toBe(1);
    expect(server.mails).toHaveLength(10);
    await out.close?.();
  });

  it('classifies: bad password → auth_error; 4xx → retried; 5xx → dead-lettered; refused → network', async () => {
    const bad = make({ user: 'falco', password: 'wrong-secret-pw' });
    const r = await bad.send([sampleEvent()], signal());
    expect(r).toMatchObject({ ok: false, retryable: false, reason: 'auth_error' });
    expect(JSON.stringify(r)).not.toContain('wrong-secret-pw');
    await bad.close?.();
    const out = make({ authmechanism: 'none' });
    server.reject = { code: 451, message: 'try later' };
    expect(await out.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'server_error',
    });
    server.reject = { code: 550, message: 'mailbox unavailable' };
    expect(await out.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: false,
      reason: 'client_error',
    });
    server.reject = undefined;
    expect(await out.send([sampleEvent()], signal())).toEqual({ ok: true });
    await out.close?.();
    const refused = createOutput(smtpOutput, {
      name: 'smtp',
      type: 'smtp',
      path: 'smtp',
      settings: { hostport: '127.0.0.1:1', tls: false, authmechanism: 'none', from: 'a@b', to: 'c@d' },
    }).output;
    expect(await refused.send([sampleEvent()], signal())).toMatchObject({
      ok: false,
      retryable: true,
      reason: 'network',
    });
    await refused.close?.();
  });

  it('checks hostport and needs from and to, as falcosidekick', () => {
    const { errors } = createOutput(smtpOutput, {
      name: 'smtp',
      type: 'smtp',
      path: 'smtp',
      settings: { hostport: 'mail.example' },
    });
    expect(errors).toEqual([
      'smtp.from: required',
      'smtp.to: required',
      'smtp.hostport: "mail.example" is not host:port',
    ]);
  });
});
