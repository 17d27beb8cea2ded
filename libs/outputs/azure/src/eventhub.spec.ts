import { buildOutputs, loadRouterConfig } from '@falconer/outputs-registry';
import { sampleEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';

// No Event Hubs server runs here (the emulator is Docker-only): these tests check what can be checked
// locally — configuration from falcosidekick's keys and env names, and that a destination that cannot be
// reached is a retryable failure with no secret in it. docs/outputs/azureeventhub.md says so.
const KEY = 'c2VjcmV0LWtleS1mb3ItZmFsY29uZXItdGVzdHM=';

describe('Azure Event Hubs (falcosidekick outputs/azure.go)', () => {
  it('is configured from the azure.eventhub section and from env names', () => {
    const fromFile = loadRouterConfig({
      yaml: 'azure:\n  eventhub: { namespace: ns.servicebus.windows.net, name: falco, minimumpriority: error }\n',
    });
    const built = buildOutputs(fromFile.config.outputs);
    expect(built.errors).toEqual([]);
    expect(built.instances.map((i) => [i.name, i.type, i.filterText])).toEqual([
      ['azureeventhub', 'azureeventhub', 'priority ≥ Error'],
    ]);
    const fromEnv = loadRouterConfig({
      env: { AZURE_EVENTHUB_NAME: 'falco', AZURE_EVENTHUB_NAMESPACE: 'ns.servicebus.windows.net' },
    });
    expect(buildOutputs(fromEnv.config.outputs).instances).toHaveLength(1);
    const missing = loadRouterConfig({ env: { AZURE_EVENTHUB_NAME: 'falco' } });
    expect(buildOutputs(missing.config.outputs).errors).toEqual([
      'azure.namespace: required (or a connectionstring)',
    ]);
  });

  it('an unreachable namespace is a retryable failure, without the key', async () => {
    const { config } = loadRouterConfig({
      yaml: `azure:\n  eventhub:\n    name: falco\n    connectionstring: "Endpoint=sb://127.0.0.1:9/;SharedAccessKeyName=send;SharedAccessKey=${KEY};UseDevelopmentEmulator=true"\n`,
    });
    const { instances, errors } = buildOutputs(config.outputs);
    expect(errors).toEqual([]);
    const output = instances[0]!.output;
    const r = await output.send([sampleEvent()], AbortSignal.timeout(20_000));
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify(r)).not.toContain(KEY);
    await output.close?.();
  }, 30_000);
});
