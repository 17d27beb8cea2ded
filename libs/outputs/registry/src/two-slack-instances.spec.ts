import { loadRouterConfig } from './catalog';
import { sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { Receiver } from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileDrop, createEventRouter } from '@falconer/routing';
import { buildOutputs } from './registry';

describe('scenario: two Slack instances with different filters', () => {
  let critical: Receiver;
  let containers: Receiver;
  beforeAll(async () => {
    critical = await Receiver.start(() => ({ status: 200, body: 'ok' }));
    containers = await Receiver.start(() => ({ status: 200, body: 'ok' }));
  });
  afterAll(async () => {
    await critical.close();
    await containers.close();
  });

  it('routes each event only to the instances whose filter matches, and delivers it there', async () => {
    const { config } = loadRouterConfig({
      env: {},
      yaml: `
outputs:
  - name: slack-prod-critical
    type: slack
    webhookurl: ${critical.url}/services/AAA
    filter: { minimumpriority: critical, rules: { exclude: ["Read sensitive file*"] } }
  - name: slack-containers
    type: slack
    webhookurl: ${containers.url}/services/BBB
    channel: "#containers"
    filter: { tags: { any: [container] }, fields: { k8s.ns.name: { notin: [kube-system] } } }
`,
    });
    const { instances, errors } = buildOutputs(config.outputs, {});
    expect(errors).toEqual([]);
    expect(instances.map((i) => [i.name, i.type, i.filterText])).toEqual([
      ['slack-prod-critical', 'slack', 'priority ≥ Critical and rule is not [Read sensitive file*]'],
      ['slack-containers', 'slack', 'tags any of [container] and k8s.ns.name not in [kube-system]'],
    ]);

    const events = [
      sampleEvent({ uuid: 'e1', priority: 'Critical', tags: ['filesystem'] }),
      secondEvent({ uuid: 'e2', priority: 'Notice' }),
      secondEvent({ uuid: 'e3', priority: 'Emergency' }),
      sampleEvent({ uuid: 'e4', priority: 'Alert', rule: 'Read sensitive file untrusted' }),
      sampleEvent({ uuid: 'e5', rule: 'Test rule', priority: 'Debug', tags: [] }),
    ];
    // the router production builds from these instances (apps/router/src/core/wiring.ts)
    const router = createEventRouter(instances, compileDrop(undefined).drop);
    const routed = events.map((e) => [e.uuid, router.route(e)]);
    expect(routed).toEqual([
      ['e1', ['slack-prod-critical']],
      ['e2', ['slack-containers']],
      ['e3', ['slack-prod-critical', 'slack-containers']],
      ['e4', []],
      ['e5', ['slack-prod-critical', 'slack-containers']],
    ]);

    // The minimal direct path: each routed instance's output sends the event once.
    for (const e of events) {
      for (const i of instances)
        if (router.route(e).includes(i.name))
          expect(await i.output.send([e], new AbortController().signal)).toEqual({ ok: true });
    }
    const fallbacks = (rx: Receiver) =>
      rx.requests.map((r) => JSON.parse(r.text).attachments[0].fields[0].value as string);
    expect(critical.requests.map((r) => r.url)).toEqual(['/services/AAA', '/services/AAA', '/services/AAA']);
    expect(fallbacks(critical)).toEqual([
      'Write below binary dir',
      'Terminal shell in container',
      'Test rule',
    ]);
    expect(containers.requests.map((r) => JSON.parse(r.text).channel)).toEqual([
      '#containers',
      '#containers',
      '#containers',
    ]);
    for (const i of instances) await i.output.close?.();
  });
});
