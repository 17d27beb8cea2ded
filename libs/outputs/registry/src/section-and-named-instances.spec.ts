import { loadRouterConfig } from './catalog';
import { describe, expect, it } from 'vitest';
import { buildOutputs } from './registry';

describe('scenario: a falcosidekick section next to named instances of the same type', () => {
  it('builds them all, section first, each with its own filter and delivery overrides', () => {
    const { config } = loadRouterConfig({
      env: { SLACK_MINIMUMPRIORITY: 'error' },
      yaml: `
slack:
  webhookurl: http://127.0.0.1:9/services/A
outputs:
  - name: slack-k8s
    type: slack
    webhookurl: http://127.0.0.1:9/services/B
    filter: { sources: [k8s_audit] }
    delivery: { retries: 10, timeout: 5s }
  - name: slack-hosts
    type: slack
    webhookurl: http://127.0.0.1:9/services/C
    filter: { hostnames: ["db-*"], priorities: [critical] }
`,
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    expect(
      instances.map((i) => ({ name: i.name, type: i.type, filter: i.filterText, delivery: i.delivery })),
    ).toEqual([
      { name: 'slack', type: 'slack', filter: 'priority ≥ Error', delivery: {} },
      {
        name: 'slack-k8s',
        type: 'slack',
        filter: 'source in [k8s_audit]',
        delivery: { retries: 10, timeout: '5s' },
      },
      {
        name: 'slack-hosts',
        type: 'slack',
        filter: 'priority in [Critical] and hostname is [db-*]',
        delivery: {},
      },
    ]);
  });
});
