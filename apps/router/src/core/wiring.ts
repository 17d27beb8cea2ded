import type { Logger } from 'pino';
import type { FalconerConfig } from '@falconer/config';
import { buildDrop, buildOutputs, clientTls, type OutputInstance } from '@falconer/outputs-registry';
import { createWebUiOutput } from '@falconer/outputs-webui';
import type { DropFilter } from '../ingest/drop-filter';

/**
 * Output instances (each with its compiled filter) and the global drop filter for this configuration,
 * or every configuration problem at once.
 */
export function buildRouting(
  config: FalconerConfig,
  version: string,
  log?: Logger,
): { outputs: OutputInstance[]; drop: DropFilter; errors: string[] } {
  const built = buildOutputs(config.outputs, {
    version,
    tls: clientTls(config),
    factories: { webui: createWebUiOutput },
    notice: (n) => log?.warn({ output: n.output, type: n.type, notice: n.event, ...n.data }, n.message),
  });
  const drop = buildDrop(config.drop);
  return { outputs: built.instances, drop: drop.drops, errors: [...built.errors, ...drop.errors] };
}
