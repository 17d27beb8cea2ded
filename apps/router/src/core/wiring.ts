import type { Logger } from 'pino';
import type { FalconerConfig } from '@falconer/config';
import { deliveryProblems } from '@falconer/delivery';
import { enrichmentErrors } from '@falconer/falco';
import { buildDrop, buildOutputs, clientTls, type OutputInstance } from '@falconer/outputs-registry';
import type { DropFilter } from '../ingest/drop-filter';

/**
 * Output instances (each with its compiled filter) and the global drop filter for this configuration,
 * or every configuration problem at once: outputs' settings and filters, the drop filter, enrichment
 * templates, and each output's delivery and aggregation settings — all checked before anything starts.
 */
export function buildRouting(
  config: FalconerConfig,
  version: string,
  log?: Logger,
): { outputs: OutputInstance[]; drop: DropFilter; errors: string[]; warnings: string[] } {
  const built = buildOutputs(config.outputs, {
    version,
    tls: clientTls(config),
    notice: (n) => log?.warn({ output: n.output, type: n.type, notice: n.event, ...n.data }, n.message),
  });
  const drop = buildDrop(config.drop);
  const errors = [
    ...built.errors,
    ...drop.errors,
    ...enrichmentErrors(config),
    ...deliveryProblems(config.outputs),
  ];
  return { outputs: built.instances, drop: drop.drops, errors, warnings: built.warnings };
}
