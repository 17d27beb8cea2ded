import { createOutput } from '@falconer/outputs-core';
import { SAMPLE_EVENT_JSON, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { canConnect, freePort, serviceAvailable } from '@falconer/testing';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsSubject, ruleSlug } from './nats.format';
import { natsOutput, stanOutput } from './nats.descriptor';

const signal = (): AbortSignal => new AbortController().signal;
const hasNats = await serviceAvailable('NATS on 127.0.0.1:4222', () => canConnect(4222));

function nats(settings: Record<string, unknown>, type: 'nats' | 'stan' = 'nats') {
  return createOutput(
    type === 'nats' ? natsOutput : stanOutput,
    { name: type, type, path: type, settings },
    {},
  );
}

/** Messages seen on `subject` by a subscriber on the server. */
async function subscribe(nc: NatsConnection, subject: string) {
  const got: { subject: string; data: string }[] = [];
  const sub = nc.subscribe(subject);
  void (async () => {
    for await (const m of sub) got.push({ subject: m.subject, data: m.string() });
  })();
  await nc.flush();
  return got;
}

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('NATS subject (outputs/nats.go)', () => {
  it('is falco.<priority>.<rule> with the rule slugged as falcosidekick does', () => {
    expect(natsSubject('', sampleEvent())).toBe('falco.error.write_below_binary_dir');
    expect(ruleSlug('  Terminal shell in container (K8s)! ')).toBe('terminal_shell_in_container_k8s');
    expect(natsSubject('alerts.<rule>.<priority>.<rule>', secondEvent())).toBe(
      'alerts.terminal_shell_in_container.notice.terminal_shell_in_container',
    );
  });

  it('reports a bad hostport', () => {
    expect(nats({ hostport: 'http://x:1' }).errors).toEqual([
      'nats.hostport: not a NATS URL: expected nats://host:port or tls://host:port',
    ]);
  });
});

describe.skipIf(!hasNats)('NATS on 127.0.0.1:4222', () => {
  let sub: NatsConnection;
  beforeAll(async () => {
    sub = await connect({ servers: '127.0.0.1:4222' });
  });
  afterAll(() => sub.close());

  it("delivers falcosidekick's exact body on its subject, many events on one connection", async () => {
    const prefix = `t${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const got = await subscribe(sub, `${prefix}.>`);
    const { output, errors } = nats({
      hostport: 'nats://127.0.0.1:4222',
      subjecttemplate: `${prefix}.<priority>.<rule>`,
    });
    expect(errors).toEqual([]);
    expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
    await until(() => got.length === 1);
    expect(got[0]).toEqual({ subject: `${prefix}.error.write_below_binary_dir`, data: SAMPLE_EVENT_JSON });
    for (let i = 0; i < 20; i++)
      expect(await output.send([sampleEvent(), secondEvent()], signal())).toEqual({ ok: true });
    await until(() => got.length === 41);
    expect(got[40]?.subject).toBe(`${prefix}.notice.terminal_shell_in_container`);
    expect(output.health?.()).toMatchObject({ state: 'connected', connects: 1, disconnects: 0 });
    await output.close?.();
    expect(output.health?.().state).toBe('closed');
  });

  it('STAN: the section is accepted, deprecation said, alerts published as NATS messages', async () => {
    const prefix = `s${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const got = await subscribe(sub, `${prefix}.>`);
    const { output, errors, warnings } = nats(
      {
        hostport: 'nats://127.0.0.1:4222',
        clusterid: 'falco',
        clientid: 'falconer',
        subjecttemplate: `${prefix}.<priority>.<rule>`,
      },
      'stan',
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(/^stan: NATS Streaming \(STAN\) is deprecated upstream/),
    ]);
    expect(await output.send([sampleEvent()], signal())).toEqual({ ok: true });
    await until(() => got.length === 1);
    expect(got[0]?.data).toBe(SAMPLE_EVENT_JSON);
    await output.close?.();
  });

  it('a refused connection is a retryable network failure that names the server', async () => {
    const port = await freePort();
    const { output } = nats({ hostport: `nats://user:s3cretpw@127.0.0.1:${port}` });
    const r = await output.send([sampleEvent()], signal());
    expect(r).toMatchObject({ ok: false, retryable: true, reason: 'network' });
    expect(JSON.stringify(r)).not.toContain('s3cretpw');
    expect(output.health?.()).toMatchObject({ state: 'down', connects: 0 });
    await output.close?.();
  });
});
