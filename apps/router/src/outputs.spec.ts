import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '@falconer/testing';
import { Receiver } from '@falconer/testing';
import { ConfigError } from '@falconer/config';
import { startRouter, type Harness } from './testing/router-harness';

/** Ingest → routing → outputs through the real router, measured at real HTTP receivers. */
describe('router with outputs configured like falcosidekick', () => {
  let webhook: Receiver;
  let critical: Receiver;
  let h: Harness;

  beforeAll(async () => {
    webhook = await Receiver.start();
    critical = await Receiver.start();
    h = await startRouter(
      {
        WEBHOOK_ADDRESS: webhook.url + '/falco',
        WEBHOOK_CUSTOMHEADERS: 'X-Team:blue',
        WEBHOOK_MINIMUMPRIORITY: 'notice',
      },
      `
outputs:
  - name: only-errors
    type: webhook
    address: ${critical.url}/crit
    filter: { minimumpriority: error, sources: [syscall] }
drop:
  rules: { include: ["Falco internal: syscall event drop"] }
`,
    );
  });
  afterAll(async () => {
    await h.close();
    await webhook.close();
    await critical.close();
  });

  it('sends each event to the instances whose filters match, with the exact body and custom headers', async () => {
    for (const name of [
      'shell-in-container',
      'write-below-binary-dir',
      'read-sensitive-file',
      'internal-drop',
    ]) {
      expect((await fetch(h.url + '/', { method: 'POST', body: fixture(name) })).status).toBe(200);
    }
    // Notice+ to the webhook: shell (Notice), write-below (Error), read-sensitive (Warning); internal drop is dropped
    await webhook.waitFor(3);
    // Error+ from syscall sources to only-errors: write-below-binary-dir has no source → "syscalls", same as syscall
    await critical.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(webhook.requests).toHaveLength(3);
    expect(critical.requests).toHaveLength(1);
    const body = critical.requests[0]?.text ?? '';
    expect(body).toContain('"evt.time":1507591916746609046');
    expect(body.endsWith('}\n')).toBe(true);
    expect(webhook.requests[0]?.headers['x-team']).toBe('blue');
    expect(webhook.requests.map((r) => r.text).join('')).not.toContain('syscall event drop');
  });

  it('sends the test event to every output', async () => {
    const before = [webhook.requests.length, critical.requests.length];
    expect((await fetch(h.url + '/test', { method: 'POST' })).status).toBe(200);
    await webhook.waitFor((before[0] ?? 0) + 1);
    await critical.waitFor((before[1] ?? 0) + 1);
    expect(critical.requests.at(-1)?.text).toContain('"rule":"Test rule"');
  });

  it('refuses to start on bad output settings, listing every problem', async () => {
    const err = await startRouter({
      SLACK_WEBHOOKURL: 'not a url',
      WEBHOOK_ADDRESS: 'http://127.0.0.1:1/',
      WEBHOOK_MINIMUMPRIORITY: 'urgent',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/slack\.webhookurl/);
    expect(problems).toMatch(/urgent/);
  });
});

describe('live delivery updates', () => {
  it('pushes delivery status of an event to subscribed dashboards', async () => {
    const { io } = await import('socket.io-client');
    const receiver = await Receiver.start();
    const h = await startRouter({ WEBHOOK_ADDRESS: receiver.url });
    const socket = io(h.url, { path: '/socket.io', transports: ['websocket'] });
    const updates: { uuid: string; status: { output: string; state: string } }[] = [];
    socket.on('delivery', (u: { uuid: string; status: { output: string; state: string } }) =>
      updates.push(u),
    );
    await new Promise((resolve) => socket.emit('subscribe', {}, resolve));
    const body = JSON.stringify({ ...JSON.parse(fixture('shell-in-container')), uuid: 'live-delivery-1' });
    expect((await fetch(h.url + '/', { method: 'POST', body })).status).toBe(200);
    await expect
      .poll(() => updates.find((u) => u.uuid === 'live-delivery-1')?.status.state, { timeout: 5000 })
      .toBe('delivered');
    expect(updates.find((u) => u.uuid === 'live-delivery-1')?.status.output).toBe('webhook');
    socket.close();
    await h.close();
    await receiver.close();
  });
});
