import { SAMPLE_EVENT_JSON, sampleEvent } from '@falconer/outputs-testing';
import { canConnect, serviceAvailable } from '@falconer/testing';
import { connect } from 'nats';
import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from './catalog';
import { buildOutputs } from './registry';

const hasNats = await serviceAvailable('NATS on 127.0.0.1:4222', () => canConnect(4222));

/** Builds the configured outputs, sends the sample event with each, returns what a subscriber got. */
async function deliver(source: { yaml: string } | { env: Record<string, string> }, subject: string) {
  const { config, warnings } = loadRouterConfig({ env: {}, ...source });
  const built = buildOutputs(config.outputs);
  expect(built.errors).toEqual([]);
  const sub = await connect({ servers: '127.0.0.1:4222' });
  const got: { subject: string; data: string }[] = [];
  const s = sub.subscribe(subject);
  void (async () => {
    for await (const m of s) got.push({ subject: m.subject, data: m.string() });
  })();
  await sub.flush();
  for (const i of built.instances)
    expect(await i.output.send([sampleEvent()], new AbortController().signal)).toEqual({ ok: true });
  const end = Date.now() + 5_000;
  while (got.length < built.instances.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  for (const i of built.instances) await i.output.close?.();
  await sub.close();
  return { got, instances: built.instances, warnings: [...warnings, ...built.warnings] };
}

describe.skipIf(!hasNats)('NATS and STAN configured like falcosidekick', () => {
  it('from the nats: and stan: sections of a YAML file', async () => {
    const p = `y${Date.now()}`;
    const { got, instances, warnings } = await deliver(
      {
        yaml: `
nats:
  hostport: nats://127.0.0.1:4222
  subjecttemplate: "${p}.nats.<priority>.<rule>"
  minimumpriority: warning
stan:
  hostport: nats://127.0.0.1:4222
  clusterid: falco
  clientid: falconer
  subjecttemplate: "${p}.stan.<rule>"
`,
      },
      `${p}.>`,
    );
    expect(instances.map((i) => [i.name, i.type, i.filterText])).toEqual([
      ['nats', 'nats', 'priority ≥ Warning'],
      ['stan', 'stan', 'every event'],
    ]);
    expect(warnings.some((w) => w.startsWith('stan: NATS Streaming (STAN) is deprecated upstream'))).toBe(
      true,
    );
    expect(got.sort((a, b) => a.subject.localeCompare(b.subject))).toEqual([
      { subject: `${p}.nats.error.write_below_binary_dir`, data: SAMPLE_EVENT_JSON },
      { subject: `${p}.stan.write_below_binary_dir`, data: SAMPLE_EVENT_JSON },
    ]);
  });

  it('from environment variables only (NATS_HOSTPORT, NATS_SUBJECTTEMPLATE)', async () => {
    const p = `e${Date.now()}`;
    const { got } = await deliver(
      { env: { NATS_HOSTPORT: 'nats://127.0.0.1:4222', NATS_SUBJECTTEMPLATE: `${p}.<rule>` } },
      `${p}.>`,
    );
    expect(got).toEqual([{ subject: `${p}.write_below_binary_dir`, data: SAMPLE_EVENT_JSON }]);
  });
});
