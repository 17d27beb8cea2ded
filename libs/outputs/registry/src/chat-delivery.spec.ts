import { createDispatcher } from '@falconer/delivery';
import { sampleEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

/** Each chat output's settings pointing at the receiver, under its own path prefix `/<type>`. */
const CHAT: Record<string, (url: string) => string> = {
  teams: (url) => `webhookurl: ${url}/teams/hook`,
  discord: (url) => `webhookurl: ${url}/discord/hook`,
  mattermost: (url) => `webhookurl: ${url}/mattermost/hook`,
  rocketchat: (url) => `webhookurl: ${url}/rocketchat/hook`,
  googlechat: (url) => `webhookurl: ${url}/googlechat/hook?key=k&token=t`,
  telegram: (url) => `host: ${url}/telegram\n    token: "1:tok"\n    chatid: "-1"`,
  webex: (url) => `webhookurl: ${url}/webex/hook`,
  cliq: (url) => `webhookurl: ${url}/cliq/hook?zapikey=z`,
  gotify: (url) => `hostport: ${url}/gotify`,
};

async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('scenario: the chat outputs through the delivery layer (429 Retry-After, 5xx, 4xx)', () => {
  let rx: Receiver;
  beforeAll(async () => {
    const seen = new Map<string, number>();
    rx = await Receiver.start((req) => {
      if (req.text.includes('Refused rule')) return { status: 400, body: '{"error":"invalid payload"}' };
      const type = req.url.split('/')[1] as string;
      const n = (seen.get(type) ?? 0) + 1;
      seen.set(type, n);
      if (n === 1) return { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' };
      if (n === 2) return { status: 502, body: 'bad gateway' };
      return { status: 200, body: 'ok' };
    });
  });
  afterAll(() => rx.close());

  it('each waits out Retry-After, retries the 5xx, delivers once; a 4xx is dead-lettered', async () => {
    const yaml =
      'outputs:\n' +
      Object.entries(CHAT)
        .map(
          ([type, s]) =>
            `  - name: ${type}\n    type: ${type}\n    ${s(rx.url)}\n    delivery: { retries: 5 }\n`,
        )
        .join('');
    const { config } = loadRouterConfig({ env: {}, yaml });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const names = instances.map((i) => i.name);
    expect(names).toEqual(Object.keys(CHAT));
    const d = await createDispatcher({ targets: instances, registry: new Registry() });
    await d.start();
    try {
      await d.enqueue(sampleEvent(), names);
      const byType = (type: string) => rx.requests.filter((r) => r.url.startsWith(`/${type}/`));
      await rx.waitFor(3 * names.length, 20_000);
      for (const type of names) {
        const reqs = byType(type);
        expect(reqs, type).toHaveLength(3);
        // the same bytes on every attempt, and nothing sent before Retry-After had passed
        expect(new Set(reqs.map((r) => r.text)).size, type).toBe(1);
        expect(reqs[1]!.at - reqs[0]!.at, type).toBeGreaterThanOrEqual(1_000);
      }
      await until(async () => (await d.outputs()).every((o) => o.counters.sent === 1), 'sent counters');
      for (const o of await d.outputs()) {
        expect(o.counters, o.name).toMatchObject({
          sent: 1,
          deadLettered: 0,
          failed: { rate_limited: 1, server_error: 1 },
        });
      }

      await d.enqueue(sampleEvent({ uuid: 'refused-1', rule: 'Refused rule' }), names);
      await until(async () => (await d.deadLetters.count()) === names.length, 'dead letters');
      const { results } = await d.listDeadLetters({ offset: 0, limit: 20 });
      expect(results.map((r) => r.output).sort()).toEqual([...names].sort());
      for (const r of results) expect(r).toMatchObject({ reason: 'client_error', attempts: 1 });
    } finally {
      await d.stop(2_000);
      for (const i of instances) await i.output.close?.();
    }
  }, 40_000);
});
