import type { EventHubProducerClient } from '@azure/event-hubs';
import type { FalcoEvent } from '@falconer/contracts';
import { serializeEvent } from '@falconer/falco';
import {
  COMMON_SETTINGS,
  defineOutput,
  resultForError,
  setting,
  type BatchPolicy,
  type Output,
  type SendResult,
} from '@falconer/outputs-core';

/** `azure.eventhub`: the event JSON as the body of one event per alert, several alerts per batch. */
export class EventHubOutput implements Output {
  readonly batch: BatchPolicy = { maxEvents: 100, maxBytes: 900_000, flushIntervalMs: 200 };
  private client?: EventHubProducerClient;

  constructor(
    readonly name: string,
    readonly type: string,
    private readonly make: () => Promise<EventHubProducerClient>,
    private readonly secrets: readonly string[],
  ) {}

  async send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    try {
      // one connection for the output's lifetime, opened on first use
      this.client ??= await this.make();
      const out = await this.client.createBatch({ abortSignal: signal });
      for (const event of batch) {
        if (!out.tryAdd({ body: Buffer.from(serializeEvent(event)) }))
          return {
            ok: false,
            retryable: false,
            reason: 'client_error',
            detail: 'event larger than an Event Hubs batch',
          };
      }
      await this.client.sendBatch(out, { abortSignal: signal });
      return { ok: true };
    } catch (err) {
      return resultForError(err, this.secrets);
    }
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}

export const azureEventHubOutput = defineOutput({
  type: 'azureeventhub',
  title: 'Azure Event Hubs',
  section: 'azure',
  subsection: 'eventhub',
  instanceName: 'azureeventhub',
  enabledBy: ['name'],
  settings: {
    namespace: setting.string('Fully qualified namespace, `<ns>.servicebus.windows.net`'),
    name: setting.string('Event hub name (enables the output)', '', { required: true }),
    connectionstring: setting.string(
      'Connection string (instead of the default Azure credential chain: env, workload identity, managed identity)',
      '',
      { secret: true, extension: true },
    ),
    ...COMMON_SETTINGS,
  },
  falcosidekick: 'outputs/azure.go',
  summary:
    'Sends the event JSON as Event Hubs events (AMQP), several alerts per batch, authenticated with the default Azure credential chain or a connection string.',
  example: `azure:
  eventhub:
    namespace: my-ns.servicebus.windows.net
    name: falco`,
  create: (v, ctx) => {
    if (v.connectionstring === '' && v.namespace === '')
      ctx.error('namespace', 'required (or a connectionstring)');
    const retryOptions = { maxRetries: 0, timeoutInMs: 10_000 };
    // the SDKs are loaded on first use: a router without this output never pays for them
    const make = async (): Promise<EventHubProducerClient> => {
      const { EventHubProducerClient } = await import('@azure/event-hubs');
      if (v.connectionstring !== '')
        return new EventHubProducerClient(v.connectionstring, v.name, { retryOptions });
      const { DefaultAzureCredential } = await import('@azure/identity');
      return new EventHubProducerClient(v.namespace, v.name, new DefaultAzureCredential(), { retryOptions });
    };
    return new EventHubOutput(ctx.name, ctx.type, make, ctx.secrets);
  },
});
